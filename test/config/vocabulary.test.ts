/**
 * The built-in vocabulary reads every wording of the schema page's drift table and of the guide,
 * each in its family only, with the values a family reads; orchestrator lines quoting a marker are
 * not the worker's. A markers file replaces the families it names, and every fault in it is a
 * usage error naming the family and the expression.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER_FAMILIES, type MarkerFamily } from '../../src/config/markers.js';
import { BUILT_IN_VOCABULARY, isFamilyLine, lineFamilies, readFamilyValues, readMarkersFile } from '../../src/config/vocabulary.js';
import { UsageError } from '../../src/errors.js';

const V = BUILT_IN_VOCABULARY;
const worker = (message: string) => ({ source_type: 'worker', message });
const orchestrator = (message: string) => ({ source_type: 'orchestrator_gpu', message });

/** Each wording of the drift table (and the guide), the one family it belongs to, and what that family reads from it. */
const WORDINGS: [message: string, family: MarkerFamily, values: Record<string, string>][] = [
  ['🔄 MODEL SWITCH: wan_2_2_i2v -> qwen_image_edit', 'model_switch', { from: 'wan_2_2_i2v', to: 'qwen_image_edit' }],
  ["🔄 MODEL SWITCH: Switching from wan_2_2 to flux using WGP's preload_model_when_switching", 'model_switch', { from: 'wan_2_2', to: 'flux' }],
  ['🔄 MODEL SWITCH: Offloading previous model wan_2_2 before loading flux', 'model_switch', { from: 'wan_2_2', to: 'flux' }],
  ["🔄 MODEL SWITCH: Using WGP's generate_video pattern - switching from (current: wan_2_2) to flux", 'model_switch', { from: 'wan_2_2', to: 'flux' }],
  ['Model switch: wan_2_2 → flux (12.3s)', 'model_loaded', { from: 'wan_2_2', to: 'flux', seconds: '12.3' }],
  ['Model loaded: flux', 'model_loaded', { to: 'flux' }],
  ['gpu-7 switched model: wan_2_2 → flux', 'model_loaded', { from: 'wan_2_2', to: 'flux' }],
  ['Model switch completed in 12.3s', 'model_loaded', { seconds: '12.3' }],
  ['✅ [HEARTBEAT] Worker gpu-7 active', 'heartbeat', {}],
  ['[HEARTBEAT] ✅ Sent for worker gpu-7 with 12 logs', 'heartbeat', {}],
  ['Before VLM loading', 'vlm_loading', {}],
  ['🧠 Using Memory Profile 4', 'memory_profile', { profile: '4' }],
  ['Launch options: --wgp-profile 3 --attention sdpa', 'memory_profile', { profile: '3' }],
  ['[RAM] After model load: Process=5450MB (5.32GB) | System=45.3% used, 58.2GB/128.0GB available', 'ram', {
    label: 'After model load',
    process_mb: '5450',
    system_used_pct: '45.3',
    available_gb: '58.2',
    total_gb: '128.0',
  }],
  ['🚀 Worker gpu-7 starting', 'startup', {}],
  ['Dependencies verified in 41.0s', 'startup', {}],
  ['Worker ready (startup_phase=ready), polling for tasks', 'ready', {}],
  ['[CLAIM] Claimed task 0b7c6d1e-0000-4000-8000-000000000000', 'task_claim', { task: '0b7c6d1e-0000-4000-8000-000000000000' }],
  ['🛑 Drain requested by orchestrator: shutting down when idle', 'shutdown', {}],
];

describe('the built-in vocabulary', () => {
  it.each(WORDINGS)('"%s" is a %s line, and only that', (message, family, values) => {
    expect(lineFamilies(V, worker(message))).toEqual([family]);
    expect(readFamilyValues(V, family, message)).toEqual(values);
  });

  it('a "Before VLM loading" [RAM] sample is both a RAM sample and a VLM line', () => {
    const message = '[RAM] Before VLM loading: Process=5450MB (5.32GB) | System=45.3% used, 58.2GB/128.0GB available';
    expect(lineFamilies(V, worker(message))).toEqual(['vlm_loading', 'ram']);
  });

  it('matches ASCII letters in either case, and no other letter for an ASCII one', () => {
    expect(isFamilyLine(V, 'heartbeat', worker('[heartbeat] ok'))).toBe(true);
    expect(isFamilyLine(V, 'heartbeat', worker('[HЕARTBEAT] with a Cyrillic Е'))).toBe(false);
    expect(isFamilyLine(V, 'model_switch', worker('🔄 MODEL SWİTCH: a -> b'))).toBe(false);
  });

  it('the helper\'s finished-load line is not a switch starting, though it reads the same words', () => {
    expect(isFamilyLine(V, 'model_switch', worker('Model switch: a → b (12.3s)'))).toBe(false);
    expect(isFamilyLine(V, 'model_switch', worker('Model switch failed: CUDA error'))).toBe(false);
  });

  it('the orchestrator\'s lines about a worker are never the worker\'s events, and its own are never the worker\'s', () => {
    for (const [message] of WORDINGS) expect(lineFamilies(V, orchestrator(message))).toEqual([]);
    expect(lineFamilies(V, orchestrator('WORKER_LIFECYCLE [Worker gpu-7] MARKING AS ERROR: stale heartbeat'))).toEqual(['orchestrator_error']);
    expect(readFamilyValues(V, 'orchestrator_error', 'Marking worker gpu-7 as error: heartbeat stale for 605s')).toEqual({ reason: 'heartbeat stale for 605s' });
    expect(lineFamilies(V, orchestrator('[WORKER_LOG_TAIL] pip install failed'))).toEqual(['log_tail']);
    expect(lineFamilies(V, worker('[WORKER_LOG_TAIL] pip install failed'))).toEqual([]);
  });

  it('ordinary lines belong to no family', () => {
    for (const message of ['Starting generation: 81 frames @ 832x480', 'Step 12/30 (40%)', '✅ Task t1 Complete', 'Uploading t1.mp4']) {
      expect(lineFamilies(V, worker(message))).toEqual([]);
    }
  });

  it('every family has an expression, and literals to look for first', () => {
    for (const family of MARKER_FAMILIES) {
      expect(V.families[family].expressions.length, family).toBeGreaterThan(0);
      expect(V.families[family].literals, family).not.toBeNull();
    }
  });
});

describe('markers files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-markers-'));
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const refusal = (p: string) => {
    try {
      readMarkersFile(p);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
  };

  it('replaces the families it names and keeps the others built in', () => {
    const v = readMarkersFile(file('ok.json', JSON.stringify({ heartbeat: ['^<3 beat'], model_switch: ['swap model (?<from>\\S+) => (?<to>\\S+)'] })));
    expect(v.replaced).toEqual(['model_switch', 'heartbeat']);
    expect(isFamilyLine(v, 'heartbeat', worker('<3 BEAT gpu-7'))).toBe(true);
    expect(isFamilyLine(v, 'heartbeat', worker('✅ [HEARTBEAT] Worker gpu-7 active'))).toBe(false);
    expect(readFamilyValues(v, 'model_switch', 'swap model a => b')).toEqual({ from: 'a', to: 'b' });
    expect(isFamilyLine(v, 'vlm_loading', worker('Before VLM loading'))).toBe(true);
    expect(v.file).toBe(path.join(dir, 'ok.json'));
  });

  it('an empty list says the fleet never logs that kind of line', () => {
    const v = readMarkersFile(file('empty.json', JSON.stringify({ heartbeat: [] })));
    expect(isFamilyLine(v, 'heartbeat', worker('✅ [HEARTBEAT] Worker gpu-7 active'))).toBe(false);
  });

  it('every fault is a usage error naming the file, the family and the expression', () => {
    expect(refusal(path.join(dir, 'missing.json'))).toMatch(/markers file .*missing\.json: cannot read it \(ENOENT\)/);
    expect(refusal(file('notjson.json', '{heartbeat:'))).toMatch(/not JSON/);
    expect(refusal(file('array.json', '[]'))).toMatch(/expected an object/);
    expect(refusal(file('family.json', '{"heartbeats": ["x"]}'))).toMatch(/unknown family "heartbeats" \(expected one of model_switch, /);
    expect(refusal(file('list.json', '{"heartbeat": "x"}'))).toMatch(/family "heartbeat": expected a list/);
    expect(refusal(file('regex.json', '{"heartbeat": ["(unclosed"]}'))).toMatch(/family "heartbeat": expression "\(unclosed": missing "\)"/);
    expect(refusal(file('backref.json', '{"model_switch": ["(a)\\\\1"]}'))).toMatch(/family "model_switch": expression "\(a\)\\\\1": back-references are not supported/);
  });
});
