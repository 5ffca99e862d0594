/** Issue 11: a worker's lifecycle as one ordered list of events, what ended it, and its idle time before the end. */
import * as checks from '../../checks/index.js';
import { DEFAULT_TIMELINE_EVENTS } from '../../config/thresholds.js';
import { countsText, instantText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { table } from '../../present/terminal.js';
import { ENDED_BY_VERDICTS, TIMELINE_EVENT_LABELS, endedByText, eventDetailText, idleText, timelineNotes } from '../../present/worker-timeline.js';
import { positiveIntegerOption, type Command } from '../command.js';

export const timelineCommand: Command = {
  name: 'timeline',
  section: 'lifecycle',
  summary: 'Lifecycle events from workers, tasks and logs in one list; what ended the worker; its idle time before the end',
  args: '<worker>',
  positionals: { min: 1, max: 1 },
  options: {
    limit: { type: 'string', value: 'N', description: `the table shows the newest N events (default ${DEFAULT_TIMELINE_EVENTS}; --json holds them all)` },
  },
  details: [
    'Runs of identical events (heartbeat lines, switches to the same model, repeated lines) are one entry with a count and an until instant.',
    'ended_by is crash, orchestrator_kill, clean_shutdown or still_running; end_basis says which evidence decided it.',
    'idle_before_end_s runs from the last task the worker finished to its end; idle_unknown says why it is null.',
  ],
  async run({ read }, args) {
    const limit = positiveIntegerOption(args, 'limit') ?? DEFAULT_TIMELINE_EVENTS;
    const result = await checks.timeline(read, args.positionals[0]!);
    return { result, text: printTimeline(result, limit) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type TimelineResult = Awaited<ReturnType<typeof checks.timeline>>;

/** The events in order (the newest `limit`), then the end and the idle time, then what the rows cannot show. */
export function printTimeline(result: TimelineResult, limit: number = DEFAULT_TIMELINE_EVENTS): string[] {
  const shown = result.events.slice(-limit);
  const earlier = result.events.length - shown.length;
  const kinds: Record<string, number> = {};
  for (const e of result.events) kinds[TIMELINE_EVENT_LABELS[e.kind]] = (kinds[TIMELINE_EVENT_LABELS[e.kind]] ?? 0) + e.count;
  const notes = timelineNotes(result);
  return [
    `Timeline of ${result.worker_id}: status ${result.status}, DB heartbeat ${result.heartbeat_state}${result.startup_phase ? `, startup_phase ${result.startup_phase}` : ''}`,
    '',
    ...(earlier > 0 ? [`${earlier} earlier event(s) not shown: the newest ${shown.length} of ${result.events.length} (--limit N shows more).`, ''] : []),
    ...table(shown, [
      { header: 'at', value: (e) => instantText(e.at) },
      { header: 'event', value: (e) => TIMELINE_EVENT_LABELS[e.kind] },
      { header: '×', value: (e) => (e.count > 1 ? e.count : ''), align: 'right' },
      { header: 'until', value: (e) => (e.until === undefined ? '' : instantText(e.until)) },
      { header: 'source', value: (e) => e.source },
      { header: 'detail', value: eventDetailText, max: 150 },
    ]),
    '',
    `Events: ${countsText(kinds)}`,
    `${VERDICT_ICONS[ENDED_BY_VERDICTS[result.ended_by]]} ${endedByText(result)}`,
    idleText(result),
    ...notes.map((n) => `Note: ${n}`),
  ];
}
