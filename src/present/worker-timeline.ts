/**
 * The words of `timeline` (issue 11): what each event kind is called, which swim lane it is drawn
 * in, how `ended_by`, its basis and a missing idle time are said. Shared by the terminal printer,
 * the notebook and the figure.
 */
import type { EndBasis, EndedBy, IdleUnknown, TimelineEvent, TimelineEventKind, WorkerTimeline } from '../analyses/worker-timeline.js';
import type { Verdict } from '../analyses/investigation.js';
import { CRASH_PATTERN_TITLES } from './crash-patterns.js';
import { formatDuration, instantText } from './format.js';
import { verdictLine } from './views.js';

export const TIMELINE_EVENT_LABELS: Readonly<Record<TimelineEventKind, string>> = {
  created: 'created',
  startup: 'start-up line',
  first_heartbeat: 'first heartbeat line',
  ready: 'ready',
  task_claimed: 'task claimed',
  task_completed: 'task completed',
  task_failed: 'task failed',
  task_cancelled: 'task cancelled',
  task_released: 'task left the worker',
  model_switch: 'model switch',
  model_loaded: 'model loaded',
  heartbeat_line: 'heartbeat lines',
  warning_line: 'warning',
  error_line: 'error',
  shutdown: 'shutdown line',
  last_own_line: 'last own line',
  last_heartbeat: 'last DB heartbeat',
  orchestrator_mark: 'orchestrator marks error',
  orchestrator_verdict: 'orchestrator verdict (metadata)',
  final_status: 'final status',
};

export const TIMELINE_LANES = ['lifecycle', 'tasks', 'models', 'log levels'] as const;
export type TimelineLane = (typeof TIMELINE_LANES)[number];

export const TIMELINE_EVENT_LANES: Readonly<Record<TimelineEventKind, TimelineLane>> = {
  created: 'lifecycle',
  startup: 'lifecycle',
  first_heartbeat: 'lifecycle',
  ready: 'lifecycle',
  task_claimed: 'tasks',
  task_completed: 'tasks',
  task_failed: 'tasks',
  task_cancelled: 'tasks',
  task_released: 'tasks',
  model_switch: 'models',
  model_loaded: 'models',
  heartbeat_line: 'lifecycle',
  warning_line: 'log levels',
  error_line: 'log levels',
  shutdown: 'lifecycle',
  last_own_line: 'lifecycle',
  last_heartbeat: 'lifecycle',
  orchestrator_mark: 'lifecycle',
  orchestrator_verdict: 'lifecycle',
  final_status: 'lifecycle',
};

export const ENDED_BY_LABELS: Readonly<Record<EndedBy, string>> = {
  crash: 'crash',
  orchestrator_kill: 'orchestrator kill',
  clean_shutdown: 'clean shutdown',
  still_running: 'still running',
};

export const ENDED_BY_VERDICTS: Readonly<Record<EndedBy, Verdict>> = {
  crash: 'bad',
  orchestrator_kill: 'warn',
  clean_shutdown: 'ok',
  still_running: 'info',
};

export const END_BASIS_TEXTS: Readonly<Record<EndBasis, string>> = {
  heartbeat_fresh: 'its DB heartbeat is alive or aging and its status has not ended',
  shutdown_line: 'it logged a shutdown line',
  self_terminated: 'metadata.self_terminated is set',
  termination_reason: 'metadata.termination_reason is recorded',
  quiet_end: 'terminated with no error recorded, no task left In Progress and no crash signature',
  status_crashed: 'the worker reported status crashed',
  killed_while_alive: 'the orchestrator marked it as error while its DB heartbeat was alive or aging',
  killed_after_death: 'its DB heartbeat stopped before the orchestrator marked it (the mark is the aftermath)',
  status_error: 'status error, with no kill recorded while it was alive',
  status_terminated: 'terminated with an error recorded or a task left In Progress, and no kill while it was alive',
  heartbeat_stale: 'its DB heartbeat stopped',
};

export const IDLE_UNKNOWN_TEXTS: Readonly<Record<IdleUnknown, string>> = {
  still_running: 'none yet: the worker is still running',
  no_task_finished: 'unknown: it finished no task',
  busy_at_end: 'none: it held a task when it ended',
  end_unknown: 'unknown: it never sent a DB heartbeat',
};

/** Notes on what the timeline cannot show, from its coverage. */
export function timelineNotes(result: { first_heartbeat_known: boolean; coverage: Partial<Record<string, number>> }): string[] {
  const notes: string[] = [];
  if (!result.first_heartbeat_known) notes.push('no heartbeat lines logged: the DB keeps only the last heartbeat, so the first one is unknown');
  if (result.coverage['task_claim'] === 0) notes.push('no claim lines logged: claims timed from the tasks table or the first line for the task');
  if (result.coverage['ready'] === 0) notes.push('no ready line logged: ready is the first task claim');
  if (result.coverage['model_switch'] === 0) notes.push('no model-switch lines logged: a switch that never finished cannot be seen');
  return notes;
}

type Summary = Pick<
  WorkerTimeline,
  'ended_by' | 'end_at' | 'end_basis' | 'pattern' | 'idle_before_end_s' | 'idle_unknown' | 'last_finished_at' | 'last_finished_task_id'
>;

/** `Ended by: orchestrator kill at … (why); crash pattern: …`, without its icon. */
export function endedByText(r: Summary): string {
  const at = r.end_at !== null ? ` at ${instantText(r.end_at)}` : '';
  return `Ended by: ${ENDED_BY_LABELS[r.ended_by]}${at} (${END_BASIS_TEXTS[r.end_basis]}); crash pattern: ${CRASH_PATTERN_TITLES[r.pattern]}`;
}

/** `Idle before the end: 3.0 min (last task finished …, <task>)`, or why there is none. */
export function idleText(r: Summary): string {
  const idle =
    r.idle_before_end_s !== null
      ? `${formatDuration(r.idle_before_end_s)} (last task finished ${instantText(r.last_finished_at)}, ${r.last_finished_task_id})`
      : IDLE_UNKNOWN_TEXTS[r.idle_unknown ?? 'no_task_finished'];
  return `Idle before the end: ${idle}`;
}

/** The end, the idle time and the notes as notebook lines. */
export function timelineSummaryHtml(r: Summary & Parameters<typeof timelineNotes>[0]): string {
  return [
    verdictLine(ENDED_BY_VERDICTS[r.ended_by], endedByText(r)),
    verdictLine('info', idleText(r)),
    ...timelineNotes(r).map((n) => verdictLine('info', n)),
  ].join('\n');
}

/** An event's detail, with where a task that left the worker is now. */
export function eventDetailText(e: TimelineEvent): string {
  if (e.kind !== 'task_released') return e.detail;
  const now = e.task_status ? `now ${e.task_status}${e.task_worker_id ? ` on ${e.task_worker_id}` : ''}` : 'task row not found';
  return `${e.detail} (${now})`;
}

/** The events as table rows (instants stay numbers: the frame prints them). */
export function timelineEventRows(r: Pick<WorkerTimeline, 'events'>) {
  return r.events.map((e) => ({ at: e.at, event: TIMELINE_EVENT_LABELS[e.kind], count: e.count, until: e.until ?? null, source: e.source, detail: eventDetailText(e) }));
}
