/**
 * Issue 11 `errors`: failed tasks' error_message and ERROR/CRITICAL lines grouped into templates.
 * Masked: numbers, sizes, durations, UUIDs, worker ids, paths, quoted values (and URLs, hex);
 * words never, so that two different exceptions sharing their figures stay apart. Kinds from the
 * keyword table of the config module.
 */
import { describe, expect, it } from 'vitest';
import { errorKind, errorTemplates, maskMessage } from '../../src/analyses/error-templates.js';
import { ERROR_KINDS, ERROR_MASKS } from '../../src/config/error-templates.js';
import type { Task } from '../../src/rows/schemas.js';
import { fleetId as id } from '../support/cases.js';
import { at, log, task, type TaskSpec } from '../support/rows.js';

function failed(error: string | null, updated: string, spec: TaskSpec = {}): Task {
  return { ...task({ status: 'Failed', error, created: '12:00:00', ...spec }), updated_at: at(updated) };
}

const OOM = (allocate: string, free: string) =>
  `CUDA out of memory. Tried to allocate ${allocate} GiB (GPU 0; 23.99 GiB total capacity; 21.21 GiB already allocated; ${free} GiB free; 21.60 GiB reserved in total by PyTorch)`;

describe('maskMessage', () => {
  it.each([
    ['sizes', 'CUDA out of memory. Tried to allocate 2.50 GiB', 'CUDA out of memory. Tried to allocate <size>'],
    ['sizes without a space, in MB', 'Process=5450MB (5.32GB)', 'Process=<size> (<size>)'],
    ['durations', 'Generation timed out after 1200s; retried in 12.5 seconds, gave up after 20 minutes', 'Generation timed out after <duration>; retried in <duration>, gave up after <duration>'],
    ['numbers, also between slashes and after =', 'failed (attempt 1/3): num_frames=82, HTTP 503', 'failed (attempt <n>/<n>): num_frames=<n>, HTTP <n>'],
    ['UUIDs', 'Task 0005dfe0-8335-4c40-bdc3-8d15fb4220a8 failed', 'Task <uuid> failed'],
    ['worker ids', 'Marking worker gpu-20251017_064840-e3120731 as error', 'Marking worker <worker> as error'],
    ['relative paths with a UUID in them: one path', 'for generated_outputs/0005dfe0-8335-4c40-bdc3-8d15fb4220a8.mp4 after 3 retries', 'for <path> after <n> retries'],
    ['absolute and Windows paths', 'no such file /models/wan/model.safetensors or C:\\models\\wan', 'no such file <path> or <path>'],
    ['URLs', 'GET https://storage.example.com/outputs/a.mp4?x=1 failed', 'GET <url> failed'],
    ['quoted values, single, double and back quotes', `could not decode input image 'start_frame_01.png' in "a b" or \`c\``, 'could not decode input image <quoted> in <quoted> or <quoted>'],
    ['an apostrophe inside a word is no quote', "WGP's preload failed for 'x'", "WGP's preload failed for <quoted>"],
    ['hex addresses', 'segfault at 0x7f3a2b1c in libcuda', 'segfault at <hex> in libcuda'],
    ['figures inside identifiers are kept', 'model wan_2_2_i2v on Qwen2.5-VL-7B-Instruct, 4n+1', 'model wan_2_2_i2v on Qwen2.5-VL-7B-Instruct, 4n+<n>'],
    ['whitespace collapsed', '  a\n\tb  ', 'a b'],
  ])('%s', (_name, message, template) => {
    expect(maskMessage(message)).toBe(template);
  });

  it('redacts secrets before masking: no fragment of a key survives in the template', () => {
    const key = 'sb_secret_0123456789abcdef0123';
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLTEyMzQ1Njc4OTA';
    const template = maskMessage(`upload refused: key ${key} revoked; token ${jwt} expired after 30s`);
    expect(template).toBe('upload refused: key [REDACTED] revoked; token [REDACTED] expired after <duration>');
    for (const fragment of ['0123456789', 'eyJhbGci', 'c2lnbmF0dXJl']) expect(template).not.toContain(fragment);
  });

  it("masks the rows' own worker ids whatever their shape", () => {
    expect(maskMessage('worker w-blue-7 lost its GPU', ['w-blue-7'])).toBe('worker <worker> lost its GPU');
  });

  it('the masks are named regular expressions of the config module, in order', () => {
    expect(ERROR_MASKS.map((m) => m.name)).toEqual(['url', 'path', 'uuid', 'worker', 'quoted', 'hex', 'size', 'duration', 'n']);
    for (const mask of ERROR_MASKS) expect(mask.pattern.flags).toContain('g');
  });
});

describe('errorKind: the keyword table', () => {
  it.each([
    [OOM('2.50', '1.00'), 'oom'],
    ['torch.OutOfMemoryError: CUDA error: out of memory', 'oom'],
    ['Generation timed out after 1200s', 'timeout'],
    ['ReadTimeout: deadline exceeded', 'timeout'],
    ['Upload failed: storage returned HTTP 503 (Service Unavailable) for <path> after 3 retries', 'upload'],
    ['Validation failed: num_frames=82 is not of the form 4n+1', 'validation'],
    ["ValueError: could not decode input image 'x.png'", 'validation'],
    ['RuntimeError: CUDA error: an illegal memory access was encountered', 'device'],
    ['RuntimeError: CUDA error: no kernel image is available for execution on the device', 'device'],
    ['Failed to load model wan_2_2_i2v: safetensors header too large', 'model_load'],
    ['Error loading checkpoint from <path>', 'model_load'],
    ['Marking worker <worker> as error: heartbeat stale for <duration>', 'other'],
  ])('%s → %s', (template, kind) => {
    expect(errorKind(template)).toBe(kind);
  });

  it('every kind of the issue, other last', () => {
    expect(ERROR_KINDS).toEqual(['oom', 'timeout', 'upload', 'validation', 'device', 'model_load', 'other']);
  });
});

describe('errorTemplates', () => {
  it('messages differing only in their figures are one template; counts, workers, tasks, first and last, the latest as sample', () => {
    const tasks = [
      failed(OOM('2.50', '1.00'), '13:00:00', { id: 't1', worker: id(1) }),
      failed(OOM('3.10', '0.42'), '13:20:00', { id: 't2', worker: id(2) }),
      failed(OOM('0.98', '2.07'), '13:10:00', { id: 't3', worker: id(1) }),
      failed('Generation timed out after 1200s', '13:30:00', { id: 't4', worker: id(3) }),
    ];
    const r = errorTemplates(tasks, []);
    expect(r.failed_tasks).toBe(4);
    expect(r.occurrences).toBe(4);
    expect(r.templates).toEqual([
      {
        template: 'CUDA out of memory. Tried to allocate <size> (GPU <n>; <size> total capacity; <size> already allocated; <size> free; <size> reserved in total by PyTorch)',
        kind: 'oom',
        count: 3,
        from_tasks: 3,
        from_lines: 0,
        workers: [id(1), id(2)],
        tasks: ['t1', 't2', 't3'],
        first_at: at('13:00:00'),
        last_at: at('13:20:00'),
        sample: OOM('3.10', '0.42'),
      },
      {
        template: 'Generation timed out after <duration>',
        kind: 'timeout',
        count: 1,
        from_tasks: 1,
        from_lines: 0,
        workers: [id(3)],
        tasks: ['t4'],
        first_at: at('13:30:00'),
        last_at: at('13:30:00'),
        sample: 'Generation timed out after 1200s',
      },
    ]);
  });

  it('two different exceptions sharing their figures stay apart', () => {
    const r = errorTemplates(
      [
        failed('RuntimeError: CUDA error 700 after 3 retries at step 12', '13:00:00'),
        failed('ValueError: expected 700 frames after 3 retries at step 12', '13:01:00'),
        failed('RuntimeError: CUDA error 701 after 4 retries at step 13', '13:02:00'),
      ],
      [],
    );
    expect(r.templates.map((t) => [t.template, t.count, t.kind])).toEqual([
      ['RuntimeError: CUDA error <n> after <n> retries at step <n>', 2, 'device'],
      ['ValueError: expected <n> frames after <n> retries at step <n>', 1, 'validation'],
    ]);
  });

  it('a line reporting a failed task counts once, with the task; a line of an earlier attempt counts in the task template it carries', () => {
    const message = OOM('2.50', '1.00');
    const tasks = [failed(message, '13:00:01', { id: 'task-a', worker: id(1) })];
    const lines = [
      // The failed task's report (its message whole, its task_id): the same failure.
      log('13:00:00', `❌ Task task-a failed (attempt 3/3): ${message}`, { level: 'ERROR', worker: id(1), task: 'task-a' }),
      // An earlier attempt of the same task on another worker, other figures: a failure of its own.
      log('12:40:00', `❌ Task task-a failed (attempt 2/3): ${OOM('1.20', '0.10')}`, { level: 'ERROR', worker: id(2), task: 'task-a' }),
      // A CRITICAL line of its own; a WARNING and an INFO line, not read.
      log('12:50:00', '💥 Fatal CUDA error: worker process exiting (status=crashed)', { level: 'CRITICAL', worker: id(3) }),
      log('12:51:00', 'Task task-a marked Failed after 3 attempt(s)', { level: 'WARNING', worker: id(1), task: 'task-a' }),
      log('12:52:00', 'CUDA out of memory. Tried to allocate 9.99 GiB', { level: 'INFO', worker: id(1) }),
    ];
    const r = errorTemplates(tasks, lines);
    expect(r.error_lines).toBe(3);
    expect(r.occurrences).toBe(3);
    expect(r.templates.map((t) => [t.kind, t.count, t.from_tasks, t.from_lines, t.workers, t.tasks])).toEqual([
      ['oom', 2, 1, 1, [id(1), id(2)], ['task-a']],
      ['device', 1, 0, 1, [id(3)], []],
    ]);
    expect(r.templates[0]!.first_at).toBe(at('12:40:00'));
    expect(r.templates[0]!.sample).toBe(message);
  });

  it('a failed task named by two lines carrying its message: only its latest report is the same failure', () => {
    const tasks = [failed('Generation timed out after 1200s', '13:00:01', { id: 'task-t' })];
    const lines = [
      log('12:30:00', '❌ Task task-t failed (attempt 2/3): Generation timed out after 1200s', { level: 'ERROR', task: 'task-t' }),
      log('13:00:00', '❌ Task task-t failed (attempt 3/3): Generation timed out after 1200s', { level: 'ERROR', task: 'task-t' }),
    ];
    const r = errorTemplates(tasks, lines);
    expect(r.templates.map((t) => [t.template, t.count, t.from_lines])).toEqual([['Generation timed out after <duration>', 2, 1]]);
  });

  it('only Failed tasks with a message; the others (a requeued task keeps its last error) are not read', () => {
    const r = errorTemplates(
      [
        { ...task({ status: 'Queued', error: 'Generation timed out after 1200s' }), updated_at: at('13:00:00') },
        { ...task({ status: 'Complete', error: 'Requeued: worker crashed (attempt 1)' }), updated_at: at('13:00:00') },
        failed(null, '13:00:00'),
        failed('  ', '13:00:00'),
      ],
      [],
    );
    expect(r).toEqual({ failed_tasks: 0, error_lines: 0, occurrences: 0, templates: [] });
  });

  it('largest first, then the most recent, then by template; the same answer whatever the order of the rows', () => {
    const tasks = [
      failed('Upload failed: HTTP 503 for a/b.mp4', '13:00:00', { id: 'u1' }),
      failed('Upload failed: HTTP 503 for a/c.mp4', '13:05:00', { id: 'u2' }),
      failed('Validation failed: bad prompt', '13:30:00', { id: 'v1' }),
      failed('Another: thing', '13:10:00', { id: 'x1' }),
      failed('Zzz: same time', '13:10:00', { id: 'z1' }),
    ];
    const r = errorTemplates(tasks, []);
    expect(r.templates.map((t) => t.template)).toEqual([
      'Upload failed: HTTP <n> for <path>',
      'Validation failed: bad prompt',
      'Another: thing',
      'Zzz: same time',
    ]);
    expect(errorTemplates([...tasks].reverse(), [])).toEqual(r);
  });
});
