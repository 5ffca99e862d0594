import { describe, expect, it } from 'vitest';
import { frameHtml, logsFrame, resultFrame, tasksFrame, workersFrame } from '../../src/present/frames.js';
import { registerSecret } from '../../src/redact.js';
import { at, log, task, worker } from '../support/rows.js';

describe('frames from typed rows', () => {
  it('workers, tasks and logs become Arquero tables with Date columns and derived fields', () => {
    const workers = workersFrame([worker({ heartbeat: '13:59:30' }), worker({ id: 'gpu-2', heartbeat: null, metadata: null })], at('14:00:00'));
    expect(workers.numRows()).toBe(2);
    expect(workers.array('heartbeat_state')).toEqual(['alive', 'never']);
    expect(workers.array('ram_tier')).toEqual([32, null]);
    expect(workers.get('created_at', 0)).toBeInstanceOf(Date);
    expect(tasksFrame([task({ status: 'Failed', error: 'CUDA out of memory' })]).array('error_message')).toEqual(['CUDA out of memory']);
    expect(logsFrame([log('13:00:00', 'a'), log('13:00:01', 'b')]).array('message')).toEqual(['a', 'b']);
  });
});

describe('frameHtml', () => {
  const frame = resultFrame(Array.from({ length: 120 }, (_, i) => ({ n: i, text: `line ${i}` })));

  it('cuts long tables and says how many rows there are', () => {
    const html = frameHtml(frame, { limit: 10 });
    expect(html.match(/<tr>/g)?.length).toBe(11); // header + 10
    expect(html).toContain('Showing the first 10 of 120 rows.');
    expect(html).toContain('line 0');
    expect(html).not.toContain('line 10<');
  });

  it('tail shows the newest rows', () => {
    const html = frameHtml(frame, { limit: 5, tail: true });
    expect(html).toContain('Showing the last 5 of 120 rows.');
    expect(html).toContain('line 119');
    expect(html).not.toContain('line 114<');
  });

  it('escapes HTML in cells, cuts long text and redacts secrets', () => {
    registerSecret('sb_secret_frame_canary_42');
    const html = frameHtml(resultFrame([{ message: '<script>alert(1)</script>' }, { message: 'x'.repeat(500) }, { message: 'key sb_secret_frame_canary_42' }]));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('x'.repeat(199) + '…');
    expect(html).not.toContain('sb_secret_frame_canary_42');
  });

  it('an empty table says so', () => {
    expect(frameHtml(resultFrame([]))).toContain('0 rows.');
  });
});
