/** Results as labelled fields, shared by the terminal and the notebooks. */
import { describe, expect, it } from 'vitest';
import { heartbeatCadence } from '../../src/analyses/heartbeat-cadence.js';
import { workerStatus } from '../../src/analyses/worker-status.js';
import { cadenceFields, criterionText, evidenceText, statusFields } from '../../src/present/fields.js';
import { registerSecret } from '../../src/redact.js';
import { at, heartbeatLine, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

const AS_OF = at('14:00:00');

describe('statusFields', () => {
  it('a worker with everything known', () => {
    const s = workerStatus(
      worker({
        id: 'gpu-1',
        created: '12:00:00',
        heartbeat: '13:59:30',
        metadata: { ram_tier: 24, pod_details: { gpu_type_id: 'NVIDIA L4' }, startup_phase: 'ready', vram_used_mb: 20000, vram_total_mb: 24000, error_code: 'STALE_HEARTBEAT_ACTIVE_TASK', error_reason: 'stale' },
      }),
      AS_OF,
    );
    expect(statusFields(s)).toEqual([
      ['Worker', 'gpu-1'],
      ['Status', 'active'],
      ['Created', '2025-10-17T12:00:00.000Z'],
      ['Last DB heartbeat', '2025-10-17T13:59:30.000Z (30.0 s before as-of)'],
      ['Heartbeat band', '✅ alive'],
      ['Lifetime', '119.5 min'],
      ['RAM tier', '24 GB'],
      ['GPU', 'NVIDIA L4'],
      ['Startup phase', 'ready'],
      ['VRAM', '20000 / 24000 MB'],
      ['Orchestrator error', 'STALE_HEARTBEAT_ACTIVE_TASK: stale'],
      ['Metadata', 'present'],
    ]);
  });

  it('NULL heartbeat and NULL metadata read as never, unknown and NULL', () => {
    const fields = Object.fromEntries(statusFields(workerStatus(worker({ heartbeat: null, metadata: null }), AS_OF)));
    expect(fields).toMatchObject({
      'Last DB heartbeat': 'never',
      'Heartbeat band': '❓ never',
      Lifetime: '–',
      'RAM tier': 'unknown',
      GPU: 'unknown',
      'Startup phase': null,
      VRAM: null,
      'Orchestrator error': null,
      Metadata: 'NULL',
    });
  });

  it('VRAM used without a total, an error code without a reason', () => {
    const fields = Object.fromEntries(statusFields(workerStatus(worker({ metadata: { vram_used_mb: 100, error_code: 'GPU_NOT_DETECTED' } }), AS_OF)));
    expect(fields).toMatchObject({ VRAM: '100 / ? MB', 'Orchestrator error': 'GPU_NOT_DETECTED' });
  });
});

describe('cadenceFields', () => {
  it('the §16 figures, labelled', () => {
    const c = heartbeatCadence(worker({ created: '12:00:00', heartbeat: '12:10:00' }), [heartbeatLine('12:00:30'), heartbeatLine('12:01:00'), heartbeatLine('12:03:00')], AS_OF, BUILT_IN_VOCABULARY);
    expect(cadenceFields(c)).toEqual([
      ['Worker', c.worker_id],
      ['DB heartbeat cadence', '20.0 s'],
      ['Lifetime (creation → last DB heartbeat)', '10.0 min'],
      ['≈ DB heartbeats sent', 30],
      ['Logged heartbeat lines', 3],
      ['Logged lines per DB heartbeat', '0.10'],
      ['Median interval between logged lines', '75.0 s'],
      ['DB heartbeat after the last logged one', '7.0 min'],
    ]);
  });
});

describe('criterionText', () => {
  it('✅ met, ❌ required and missed, ⚠️ corroborating and missed, ❔ undecided; corroborating ones say so', () => {
    expect(criterionText({ name: 'dead', met: true, required: true, detail: 'death: heartbeat_stale' })).toBe('✅ dead: death: heartbeat_stale');
    expect(criterionText({ name: 'dead', met: false, required: true, detail: 'death: no' })).toBe('❌ dead: death: no');
    expect(criterionText({ name: 'init_failure: dead', met: false, required: false, detail: 'death: no' })).toBe('⚠️ init_failure: dead (corroborating): death: no');
    expect(criterionText({ name: 'heartbeats after', met: null, required: false, detail: 'no heartbeat lines logged' })).toBe('❔ heartbeats after (corroborating): no heartbeat lines logged');
    expect(criterionText({ name: 'switch logged', met: null, required: true, detail: 'only finished loads logged' })).toBe('❔ switch logged: only finished loads logged');
  });
});

describe('evidenceText', () => {
  it('when, where from and the message, cut and redacted; undated evidence keeps the column', () => {
    expect(evidenceText({ timestamp: at('13:00:00'), source: 'system_logs:worker', level: 'INFO', message: 'last MODEL SWITCH: a -> b' })).toBe(
      '2025-10-17T13:00:00.000Z  [system_logs:worker] last MODEL SWITCH: a -> b',
    );
    expect(evidenceText({ timestamp: null, source: 'workers', level: null, message: 'metadata.error_code = X' })).toBe(`${' '.repeat(24)}  [workers] metadata.error_code = X`);
    expect(evidenceText({ timestamp: null, source: 'workers', level: null, message: 'abcdefghij' }, 5)).toBe(`${' '.repeat(24)}  [workers] abcd…`);
    registerSecret('sb_secret_fields_canary_3');
    expect(evidenceText({ timestamp: null, source: 'workers', level: null, message: 'key sb_secret_fields_canary_3' })).not.toContain('sb_secret_fields_canary_3');
  });
});
