/**
 * The words of `timeline`: every event kind has a label and a lane; the end, the idle time and its
 * absence are said with their figures; the notes say what the rows cannot show.
 */
import { describe, expect, it } from 'vitest';
import { ENDED_BY, TIMELINE_EVENT_KINDS, workerTimeline } from '../../src/analyses/worker-timeline.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';
import { formatDuration } from '../../src/present/format.js';
import {
  ENDED_BY_LABELS,
  TIMELINE_EVENT_LABELS,
  TIMELINE_EVENT_LANES,
  TIMELINE_LANES,
  endedByText,
  eventDetailText,
  idleText,
  timelineEventRows,
  timelineNotes,
  timelineSummaryHtml,
} from '../../src/present/worker-timeline.js';
import { at, heartbeatLine, log, task, worker } from '../support/rows.js';

const AS_OF = at('14:00:00');
const T1 = '11111111-1111-4111-8111-111111111111';

describe('timeline words', () => {
  it('every kind has a distinct label and one of the four lanes; every end a label', () => {
    expect(new Set(TIMELINE_EVENT_KINDS.map((k) => TIMELINE_EVENT_LABELS[k])).size).toBe(TIMELINE_EVENT_KINDS.length);
    for (const k of TIMELINE_EVENT_KINDS) expect(TIMELINE_LANES).toContain(TIMELINE_EVENT_LANES[k]);
    for (const e of ENDED_BY) expect(ENDED_BY_LABELS[e]).toMatch(/\w/);
  });

  it('an end with its instant and evidence; the idle time with the task it is measured from', () => {
    const w = worker({ status: 'terminated', heartbeat: '12:20:10', metadata: { termination_reason: 'idle_timeout' } });
    const r = workerTimeline(w, [task({ id: T1, started: '12:05:00', processed: '12:09:00' })], [log('12:20:00', 'shutting down')], AS_OF, BUILT_IN_VOCABULARY);
    expect(endedByText(r)).toBe('Ended by: clean shutdown at 2025-10-17T12:20:00.000Z (it logged a shutdown line); crash pattern: No crash');
    expect(idleText(r)).toBe(`Idle before the end: ${formatDuration(660)} (last task finished 2025-10-17T12:09:00.000Z, ${T1})`);
    expect(timelineSummaryHtml(r)).toContain('>ok</span>');
  });

  it('no idle time: why', () => {
    const running = workerTimeline(worker(), [], [], AS_OF, BUILT_IN_VOCABULARY);
    expect(idleText(running)).toBe('Idle before the end: none yet: the worker is still running');
    expect(endedByText(running)).toMatch(/^Ended by: still running \(/);
  });

  it('notes only for what the worker did not log', () => {
    const quiet = workerTimeline(worker(), [], [], AS_OF, BUILT_IN_VOCABULARY);
    expect(timelineNotes(quiet)).toHaveLength(4);
    const logged = workerTimeline(
      worker(),
      [],
      [heartbeatLine('12:00:10'), log('12:00:20', 'Worker ready'), log('12:01:00', `[CLAIM] Claimed task ${T1}`), log('12:02:00', '🔄 MODEL SWITCH: a -> b')],
      AS_OF,
      BUILT_IN_VOCABULARY,
    );
    expect(timelineNotes(logged)).toEqual([]);
  });

  it('event rows keep instants as numbers for the frame, and say the kind in words', () => {
    const r = workerTimeline(worker(), [], [heartbeatLine('12:00:10'), heartbeatLine('12:00:40'), heartbeatLine('12:01:10')], AS_OF, BUILT_IN_VOCABULARY);
    expect(timelineEventRows(r).find((row) => row.event === TIMELINE_EVENT_LABELS.heartbeat_line)).toMatchObject({ at: at('12:00:40'), count: 2, until: at('12:01:10') });
  });
});

describe('eventDetailText', () => {
  it('says where a task that left the worker is now; other details as read', () => {
    const base = { at: at('12:00:00'), count: 1, source: 'tasks', detail: `travel_segment ${T1}: Requeued: worker crashed (attempt 1)` };
    expect(eventDetailText({ ...base, kind: 'task_released', task_status: 'Complete', task_worker_id: 'gpu-b' })).toBe(
      `travel_segment ${T1}: Requeued: worker crashed (attempt 1) (now Complete on gpu-b)`,
    );
    expect(eventDetailText({ ...base, kind: 'task_released', task_status: 'Queued', task_worker_id: null })).toMatch(/\(now Queued\)$/);
    expect(eventDetailText({ ...base, kind: 'task_released', task_status: null, task_worker_id: null })).toMatch(/\(task row not found\)$/);
    expect(eventDetailText({ ...base, kind: 'task_failed' })).toBe(base.detail);
  });
});
