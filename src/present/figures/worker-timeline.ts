/**
 * Issue 11 `timeline` as swim lanes on one time axis: lifecycle events (heartbeat-line runs as
 * spans), tasks from claim to their end (or to the worker's end while held), the model loaded from
 * each switch or load to the next, and the warning and error lines. The worker's end is marked
 * with what ended it; undated metadata events are not drawn (the table lists them).
 */
import type { TimelineEvent, TimelineEventKind, WorkerTimeline } from '../../analyses/worker-timeline.js';
import { formatInstant, type Instant } from '../../rows/time.js';
import { formatDuration } from '../format.js';
import { ENDED_BY_LABELS, TIMELINE_EVENT_LABELS, TIMELINE_EVENT_LANES, TIMELINE_LANES, type TimelineLane } from '../worker-timeline.js';
import { baseLayout, COLORS, LEVEL_COLORS, TASK_STATUS_COLORS, verticalMarker, type Figure, type Trace } from './figure.js';

/** A span shorter than this is drawn this wide (ms), so that it stays visible. */
const MIN_SPAN_MS = 1000;
/** The time axis is padded by this share of the life on each side, and at least RANGE_PAD_MIN_US. */
const RANGE_PAD = 0.02;
const RANGE_PAD_MIN_US = 30_000_000;

const LIFECYCLE_SYMBOLS: Partial<Record<TimelineEventKind, string>> = {
  created: 'star',
  startup: 'circle-open',
  first_heartbeat: 'triangle-up',
  ready: 'diamond',
  shutdown: 'square',
  last_own_line: 'line-ns-open',
  last_heartbeat: 'triangle-down',
  orchestrator_mark: 'x',
  orchestrator_verdict: 'x-open',
};

const LIFECYCLE_COLORS: Partial<Record<TimelineEventKind, string>> = {
  created: COLORS.alive,
  ready: COLORS.alive,
  shutdown: COLORS.terminated,
  last_heartbeat: COLORS.dead,
  orchestrator_mark: COLORS.error,
  orchestrator_verdict: COLORS.error,
};

/** How each task's span ended, for its colour and legend. */
const TASK_END_STATUS: Partial<Record<TimelineEventKind, string>> = {
  task_completed: 'Complete',
  task_failed: 'Failed',
  task_cancelled: 'Cancelled',
  task_released: 'left the worker',
};
const RELEASED_COLOR = '#7f7f7f';
const HELD = 'held at the end';

const spanMs = (from: Instant, to: Instant) => Math.max(MIN_SPAN_MS, (to - from) / 1000);
const hover = (e: TimelineEvent) => `${TIMELINE_EVENT_LABELS[e.kind]}${e.count > 1 ? ` ×${e.count}` : ''}<br>${e.detail}`;

function spanTrace(name: string, lane: TimelineLane, spans: { from: Instant; to: Instant; text: string }[], color: string | null): Trace {
  return {
    type: 'bar',
    orientation: 'h',
    name,
    y: spans.map(() => lane),
    base: spans.map((s) => formatInstant(s.from)),
    x: spans.map((s) => spanMs(s.from, s.to)),
    text: spans.map((s) => s.text),
    textposition: 'none',
    ...(color === null ? {} : { marker: { color } }),
    width: 0.5,
    hovertemplate: `%{text}<br>%{base} (+%{x:,.0f} ms)<extra>${name}</extra>`,
  };
}

function markerTrace(name: string, lane: TimelineLane, events: readonly TimelineEvent[], marker: Record<string, unknown>): Trace {
  return {
    type: 'scatter',
    mode: 'markers',
    name,
    x: events.map((e) => formatInstant(e.at!)),
    y: events.map(() => lane),
    text: events.map(hover),
    marker: { size: 11, ...marker },
    hovertemplate: `%{text}<br>%{x}<extra>${name}</extra>`,
  };
}

export function workerTimelineFigure(timeline: WorkerTimeline, asOf: Instant): Figure {
  const dated = timeline.events.filter((e): e is TimelineEvent & { at: Instant } => e.at !== null);
  const end = timeline.end_at ?? asOf;
  const data: Trace[] = [];

  // Lifecycle: heartbeat-line runs as spans, the rest as marks.
  const beats = dated.filter((e) => e.kind === 'heartbeat_line');
  if (beats.length) data.push(spanTrace(TIMELINE_EVENT_LABELS.heartbeat_line, 'lifecycle', beats.map((e) => ({ from: e.at, to: e.until ?? e.at, text: hover(e) })), COLORS.gap));
  const lifecycleKinds = [...new Set(dated.filter((e) => TIMELINE_EVENT_LANES[e.kind] === 'lifecycle' && e.kind !== 'heartbeat_line').map((e) => e.kind))];
  for (const kind of lifecycleKinds) {
    data.push(
      markerTrace(TIMELINE_EVENT_LABELS[kind], 'lifecycle', dated.filter((e) => e.kind === kind), {
        symbol: LIFECYCLE_SYMBOLS[kind] ?? 'circle',
        ...(LIFECYCLE_COLORS[kind] ? { color: LIFECYCLE_COLORS[kind] } : {}),
      }),
    );
  }

  // Tasks: from the claim to the task's end on this worker, or to the worker's end while it held it.
  const claims = dated.filter((e) => e.kind === 'task_claimed' && e.task_id !== undefined);
  const ends = new Map(dated.filter((e) => TASK_END_STATUS[e.kind] !== undefined).map((e) => [e.task_id, e]));
  const byOutcome = new Map<string, { from: Instant; to: Instant; text: string }[]>();
  for (const claim of claims) {
    const ended = ends.get(claim.task_id);
    const outcome = ended ? TASK_END_STATUS[ended.kind]! : HELD;
    const to = ended?.at ?? end;
    const list = byOutcome.get(outcome) ?? [];
    list.push({ from: claim.at, to, text: `${(ended ?? claim).detail}<br>${formatDuration((to - claim.at) / 1e6)}` });
    byOutcome.set(outcome, list);
  }
  for (const [outcome, spans] of byOutcome) {
    const color = outcome === HELD ? TASK_STATUS_COLORS['In Progress']! : outcome === TASK_END_STATUS.task_released ? RELEASED_COLOR : TASK_STATUS_COLORS[outcome]!;
    data.push(spanTrace(`task ${outcome}`, 'tasks', spans, color));
  }

  // Models: each named model from its switch or load to the next one, or to the end.
  const modelEvents = dated.filter((e) => TIMELINE_EVENT_LANES[e.kind] === 'models');
  const named = modelEvents.filter((e) => e.model !== undefined);
  const byModel = new Map<string, { from: Instant; to: Instant; text: string }[]>();
  named.forEach((e, i) => {
    const next = named.slice(i + 1).find((n) => n.model !== e.model);
    if (i > 0 && named[i - 1]!.model === e.model) return; // the same model still loaded
    const list = byModel.get(e.model!) ?? [];
    list.push({ from: e.at, to: next?.at ?? end, text: e.model! });
    byModel.set(e.model!, list);
  });
  for (const [model, spans] of byModel) data.push(spanTrace(model, 'models', spans, null));
  if (modelEvents.length) data.push(markerTrace(TIMELINE_EVENT_LABELS.model_switch, 'models', modelEvents, { symbol: 'line-ns-open', color: COLORS.switch, size: 14 }));

  // Log levels: warnings and errors, larger for longer runs.
  for (const [kind, level] of [
    ['warning_line', 'WARNING'],
    ['error_line', 'ERROR'],
  ] as const) {
    const lines = dated.filter((e) => e.kind === kind);
    if (lines.length) data.push(markerTrace(TIMELINE_EVENT_LABELS[kind], 'log levels', lines, { color: LEVEL_COLORS[level], size: lines.map((e) => 8 + 3 * Math.log2(e.count)) }));
  }

  // The axis spans the worker's life (and what was written about it afterwards), not up to a far as-of.
  const instants = [timeline.created_at, end, ...dated.flatMap((e) => [e.at, e.until ?? e.at])];
  const from = Math.min(...instants);
  const to = Math.max(...instants);
  const pad = Math.max(RANGE_PAD_MIN_US, (to - from) * RANGE_PAD);
  const marks = [
    ...(timeline.end_at !== null ? [verticalMarker(formatInstant(timeline.end_at), COLORS.dead, `end: ${ENDED_BY_LABELS[timeline.ended_by]}`)] : []),
    ...(asOf <= to ? [verticalMarker(formatInstant(asOf), COLORS.asOf, 'as-of', 'dot')] : []),
  ];
  return {
    data,
    layout: baseLayout(`Timeline of ${timeline.worker_id}: ${ENDED_BY_LABELS[timeline.ended_by]}`, {
      barmode: 'overlay',
      xaxis: { type: 'date', title: { text: 'time (UTC)' }, range: [formatInstant(from - pad), formatInstant(to + pad)] },
      // Every lane shown, top to bottom, even an empty one.
      yaxis: { type: 'category', categoryorder: 'array', categoryarray: [...TIMELINE_LANES], range: [TIMELINE_LANES.length - 0.5, -0.5], automargin: true },
      shapes: marks.map((m) => m.shape),
      annotations: marks.map((m) => m.annotation),
      height: 380,
    }),
  };
}
