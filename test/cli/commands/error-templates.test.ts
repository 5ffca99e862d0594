/** `errors` (issue 11): its printer over fixed results made from hand-built rows. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateFleet } from '../../../src/sources/demo-fleet.js';
import { runCli } from '../../support/cli.js';
import { errorTemplates } from '../../../src/analyses/error-templates.js';
import { printErrors } from '../../../src/cli/commands/error-templates.js';
import type { SystemLog, Task } from '../../../src/rows/schemas.js';
import { hoursWindow } from '../../../src/rows/window.js';
import { at, log, task } from '../../support/rows.js';

const AS_OF = at('14:00:00');
const W1 = 'gpu-20251017_120000-00000001';
const W2 = 'gpu-20251017_120000-00000002';
const failed = (id: string, worker: string, error: string, updated: string): Task => ({
  ...task({ id, worker, status: 'Failed', error, created: '12:00:00' }),
  updated_at: at(updated),
});
/** As the check builds it. */
function errorsOf(tasks: Task[], lines: SystemLog[], hours = 24) {
  const window = hoursWindow(AS_OF, hours);
  return { as_of: AS_OF, window_hours: hours, from: window.from, to: window.to, ...errorTemplates(tasks, lines) };
}

describe('printErrors', () => {
  it('templates largest first, with kind, spread and first/last seen; the masked template, not the raw message', async () => {
    const tasks = [
      failed('7a5c0000-0000-4000-8000-000000000001', W1, 'CUDA out of memory. Tried to allocate 2.50 GiB (GPU 0; 23.99 GiB total capacity)', '13:00:00'),
      failed('7a5c0000-0000-4000-8000-000000000002', W2, 'CUDA out of memory. Tried to allocate 3.10 GiB (GPU 0; 47.99 GiB total capacity)', '13:30:00'),
      failed('7a5c0000-0000-4000-8000-000000000003', W2, 'Upload failed: storage returned HTTP 503 for generated_outputs/x.mp4 after 3 retries', '13:40:00'),
    ];
    const lines = [log('13:45:00', `Marking worker ${W1} as error: heartbeat stale for 615s`, { source: 'orchestrator_gpu', level: 'ERROR', worker: W1 })];
    const text = printErrors(errorsOf(tasks, lines));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/errors-templates.txt');
    expect(text[0]).toContain('3 template(s) over 4 occurrence(s) (3 failed task(s), 1 ERROR/CRITICAL line(s))');
    expect(text.join('\n')).toContain('Tried to allocate <size>');
    expect(text.join('\n')).not.toContain('2.50 GiB');
  });

  it('none', async () => {
    const text = printErrors(errorsOf([], [], 2));
    await expect(text.join('\n')).toMatchFileSnapshot('./output/errors-none.txt');
    expect(text.at(-1)).toBe('  (none)');
  });
});

describe('errors on the demo fleet', () => {
  const demo = simulateFleet();
  const failedRows = demo.tasks.filter((t) => t['status'] === 'Failed' && typeof t['error_message'] === 'string');

  it('OOM messages that differ only in their figures are one template of kind oom, holding every such failed task', async () => {
    const r = await runCli(['errors', '--json', '--source', 'demo']);
    expect(r.code, r.stderr).toBe(0);
    const json = r.json();
    for (const key of ['as_of', 'window_hours', 'templates']) expect(json).toHaveProperty(key);
    const oomTasks = failedRows.filter((t) => String(t['error_message']).startsWith('CUDA out of memory'));
    // The case of the issue: several messages, different figures.
    expect(new Set(oomTasks.map((t) => t['error_message'])).size).toBeGreaterThanOrEqual(2);
    const holding = json.templates.filter((t: { tasks: string[] }) => oomTasks.some((o) => t.tasks.includes(o['id'] as string)));
    expect(holding).toHaveLength(1);
    expect(holding[0].kind).toBe('oom');
    expect(holding[0].template).toMatch(/^CUDA out of memory\. Tried to allocate <size> /);
    for (const o of oomTasks) expect(holding[0].tasks).toContain(o['id']);
    for (const t of json.templates) {
      expect(Object.keys(t).sort()).toEqual(['count', 'first_at', 'from_lines', 'from_tasks', 'kind', 'last_at', 'sample', 'tasks', 'template', 'workers'].sort());
    }
  });

  it('the outage: every failed upload in one template of kind upload, the largest; validation, timeout and device failures have their kinds', async () => {
    const json = (await runCli(['errors', '--json', '--source', 'demo'])).json();
    const uploads = failedRows.filter((t) => String(t['error_message']).startsWith('Upload failed'));
    expect(uploads.length).toBeGreaterThan(10);
    expect(json.templates[0]).toMatchObject({ kind: 'upload', count: uploads.length, from_tasks: uploads.length });
    expect(json.templates[0].tasks.sort()).toEqual(uploads.map((t) => t['id']).sort());
    const counts = json.templates.map((t: { count: number }) => t.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const kinds = new Set(json.templates.map((t: { kind: string }) => t.kind));
    for (const kind of ['validation', 'timeout', 'device', 'other']) expect(kinds).toContain(kind);
  });

  it('--hours narrows the window: the last hour holds the outage but not the morning', async () => {
    const day = (await runCli(['errors', '--json', '--source', 'demo'])).json();
    const hour = (await runCli(['errors', '--hours', '1', '--json', '--source', 'demo'])).json();
    expect(hour.window_hours).toBe(1);
    expect(hour.occurrences).toBeLessThan(day.occurrences);
    for (const t of hour.templates) expect(Date.parse(t.first_at)).toBeGreaterThanOrEqual(Date.parse('2025-10-17T13:00:00Z'));
  });
});

describe('errors from a fleet snapshot', () => {
  it('the same templates as the demo fleet it was taken from, for a window within the snapshot', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'wf-errors-')), 'fleet.json');
    const written = await runCli(['snapshot', '--hours', '6', '--out', file, '--source', 'demo']);
    expect(written.code, written.stderr).toBe(0);
    const live = await runCli(['errors', '--hours', '6', '--json', '--source', 'demo']);
    const saved = await runCli(['errors', '--hours', '6', '--json', '--source', `snapshot:${file}`]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.json()).toEqual(live.json());
    expect(live.json().templates.length).toBeGreaterThan(3);
  });
});
