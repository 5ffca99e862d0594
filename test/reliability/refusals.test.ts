/**
 * The last guard before a file is written: should redaction ever miss a secret, the CLI writes no
 * file (neither a snapshot nor a rendered notebook), says why in one line and exits non-zero.
 * Redaction is switched off here to reach that guard; test/notebook/execute-refusal.test.ts shows
 * the notebook guard at the function level, this file the CLI's answer and the snapshot's guard.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { fixtureNotebook, requireJupyter } from '../support/notebooks.js';
import { errorLines, runOn } from './support.js';

vi.mock('../../src/redact.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/redact.js')>()),
  redact: (text: string) => text,
  redactDeep: <T>(value: T) => value,
}));

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWZ1c2FsIn0.cmVmdXNhbC1zaWduYXR1cmU';
const WORKER = 'gpu-20251017_130000-0000abcd';

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-refusals-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('snapshot', () => {
  it('writes no file that would hold a secret redaction missed', async () => {
    const input = path.join(tmp, 'input.json');
    writeFileSync(
      input,
      JSON.stringify({
        workers: [{ id: WORKER, instance_type: 'runpod', created_at: '2025-10-17T13:00:00Z', last_heartbeat: '2025-10-17T13:59:50Z', status: 'active', metadata: {} }],
        tasks: [],
        system_logs: [
          { id: '0efa5a10-0000-4000-8000-000000000001', timestamp: '2025-10-17T13:30:00Z', source_type: 'worker', source_id: WORKER, log_level: 'INFO', message: `token ${JWT}`, task_id: null, worker_id: WORKER, cycle_number: null, metadata: null },
        ],
      }),
    );
    const outDir = path.join(tmp, 'snapshots');
    const out = path.join(outDir, 'evidence.json.gz');
    const run = await runOn(`snapshot:${input}`, ['snapshot', WORKER, '--out', out]);
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr)).toEqual([`worker-forensics: refusing to write ${out}: after redaction it still contains a JWT-shaped token`]);
    expect(run.stdout).toBe('');
    // Not even the temporary file it would have been renamed from.
    expect(readdirSync(tmp)).not.toContain('snapshots');
  });
});

describe('render', { timeout: 120_000 }, () => {
  beforeAll(requireJupyter, 60_000);

  it('writes neither file of a notebook whose output would hold a secret, in one line, exit 4', async () => {
    const outDir = path.join(tmp, 'rendered');
    const env = { ...process.env, WORKER_FORENSICS_TEST_CANARY: JWT };
    const run = await runCli(['render', fixtureNotebook('prints-env.ipynb'), '--out', outDir], env);
    expect(run.code).toBe(4);
    expect(run.stderr).not.toContain('internal error');
    expect(errorLines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`refusing to write ${path.join(outDir, 'prints-env.ipynb')} and ${path.join(outDir, 'prints-env.html')}: after redaction they still contain a JWT-shaped token`);
    expect(run.stdout).toBe('');
    expect(readdirSync(tmp)).not.toContain('rendered');
  });
});
