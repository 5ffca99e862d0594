/**
 * The heartbeat timeline of one worker (§4A, §16): its logged heartbeat lines, the gaps over the
 * threshold between them shaded, its other own lines along the bottom (so a version that logs no
 * heartbeat lines still shows when it spoke and when it fell silent), and on the same clock the
 * model switch, "Before VLM loading", the worker's last line, the last DB heartbeat (the death,
 * when it is dead) and the as-of instant.
 */
import type { HeartbeatGaps } from '../../analyses/heartbeat-gaps.js';
import { isFamilyLine, type Vocabulary } from '../../config/vocabulary.js';
import { isWorkerLine } from '../../rows/log-lines.js';
import { sortLogs } from '../../rows/order.js';
import type { SystemLog } from '../../rows/schemas.js';
import { formatInstant, MICROS_PER_SECOND, secondsBetween, type Instant } from '../../rows/time.js';
import { cut, instantText } from '../format.js';
import { baseLayout, BOTTOM_MARGIN_PX, COLORS, eventMarks, type EventMark, type Figure } from './figure.js';

export function heartbeatTimelineFigure(
  heartbeats: HeartbeatGaps,
  logs: readonly SystemLog[],
  options: { asOf: Instant; diedAt: Instant | null; vocabulary: Vocabulary },
): Figure {
  const is = (family: 'heartbeat' | 'model_switch' | 'vlm_loading') => (l: SystemLog) => isFamilyLine(options.vocabulary, family, l);
  const sorted = sortLogs(logs.filter((l) => l.worker_id === heartbeats.worker_id && l.timestamp <= options.asOf));
  const beats = sorted.filter(is('heartbeat'));
  const spoken = sorted.filter((l) => isWorkerLine(l) && !is('heartbeat')(l));
  const times = beats.map((b) => formatInstant(b.timestamp));
  const intervals = beats.map((b, i) => (i === 0 ? null : secondsBetween(beats[i - 1]!.timestamp, b.timestamp)));
  const shapes: unknown[] = [];
  const annotations: unknown[] = [];
  for (const gap of heartbeats.gaps) {
    shapes.push({
      type: 'rect', xref: 'x', yref: 'paper', y0: 0, y1: 1, x0: formatInstant(gap.at - Math.round(gap.gap_s * 1e6)), x1: formatInstant(gap.at),
      fillcolor: COLORS.gap, line: { width: 0 }, layer: 'below',
    });
  }
  const at = (log: SystemLog | undefined) => (log ? log.timestamp : null);
  const events: [Instant | null, string, string][] = [
    [at(sorted.filter(is('model_switch')).at(-1)), COLORS.switch, 'MODEL SWITCH'],
    [at(sorted.filter(is('vlm_loading')).at(-1)), COLORS.vlm, 'Before VLM loading'],
    [at(sorted.filter(isWorkerLine).at(-1)), COLORS.aging, 'last worker line'],
    [heartbeats.db_last_heartbeat, options.diedAt ? COLORS.dead : COLORS.alive, options.diedAt ? 'last DB heartbeat (death)' : 'last DB heartbeat'],
    [options.asOf, COLORS.asOf, 'as-of'],
  ];
  const marks: EventMark[] = events
    .filter((e): e is [Instant, string, string] => e[0] !== null)
    .map(([t, color, label]) => ({ at: t, x: formatInstant(t), color, label, dash: label === 'as-of' ? 'dot' : 'dash', hover: `${label}: ${instantText(t)}` }));
  // The axis range is set here, not left to Plotly, so that the labels' rows are laid out on it.
  const instants = [...beats, ...spoken].map((l) => l.timestamp).concat(
    marks.map((m) => m.at),
    heartbeats.gaps.map((g) => g.at - Math.round(g.gap_s * 1e6)),
  );
  const first = Math.min(...instants);
  const last = Math.max(...instants);
  const pad = Math.max(MICROS_PER_SECOND * 30, Math.round((last - first) * 0.02));
  const range: [number, number] = [first - pad, last + pad];
  const labelled = eventMarks(marks, range);
  shapes.push(...labelled.shapes);
  annotations.push(...labelled.annotations);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'logged [HEARTBEAT] lines (seconds since the previous one)',
        x: times,
        y: intervals,
        marker: { size: 6, color: intervals.map((g) => (g !== null && g > heartbeats.threshold_s ? COLORS.dead : COLORS.alive)) },
        line: { color: '#bbbbbb', width: 1 },
        hovertemplate: '%{x}<br>%{y:.1f} s since the previous logged heartbeat<extra></extra>',
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: 'other lines the worker wrote',
        x: spoken.map((l) => formatInstant(l.timestamp)),
        y: spoken.map(() => 0),
        text: spoken.map((l) => cut(l.message, 120)),
        marker: { size: 5, symbol: 'line-ns-open', color: '#555555' },
        hovertemplate: '%{x}<br>%{text}<extra></extra>',
      },
    ],
    layout: baseLayout(
      beats.length === 0
        ? `Heartbeats of ${heartbeats.worker_id}: no heartbeat lines logged (the DB heartbeat only); its own lines below`
        : `Heartbeats of ${heartbeats.worker_id}: ${beats.length} logged, ${heartbeats.gaps.length} gap(s) > ${heartbeats.threshold_s} s (shaded)`,
      {
        xaxis: { type: 'date', title: { text: 'time (UTC)' }, range: range.map(formatInstant) },
        yaxis: { title: { text: 'interval (s)' }, rangemode: 'tozero' },
        shapes: [
          ...shapes,
          { type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: heartbeats.threshold_s, y1: heartbeats.threshold_s, line: { color: COLORS.dead, width: 1, dash: 'dot' } },
        ],
        annotations,
        margin: { l: 60, r: 20, t: labelled.topMargin, b: BOTTOM_MARGIN_PX },
        height: 400 + labelled.topMargin - 50,
      },
    ),
  };
}
