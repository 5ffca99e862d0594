/** Log volume by level over time (§2): where the worker went quiet, and where it shouted. */
import { LOG_LEVELS } from '../../config/markers.js';
import type { SystemLog } from '../../rows/schemas.js';
import { formatInstant } from '../../rows/time.js';
import { baseLayout, LEVEL_COLORS, type Figure } from './figure.js';

export function logVolumeFigure(workerId: string, logs: readonly SystemLog[]): Figure {
  const levels = [...LOG_LEVELS, ...new Set(logs.map((l) => l.log_level).filter((l) => !(LOG_LEVELS as readonly string[]).includes(l)))];
  const data = levels
    .map((level) => ({ level, times: logs.filter((l) => l.log_level === level).map((l) => formatInstant(l.timestamp)) }))
    .filter((s) => s.times.length > 0)
    .map((s) => ({
      type: 'histogram',
      name: s.level,
      x: s.times,
      marker: { color: LEVEL_COLORS[s.level] ?? '#555555' },
      nbinsx: 60,
      hovertemplate: `%{y} ${s.level} line(s)<br>%{x}<extra></extra>`,
    }));
  return {
    data,
    layout: baseLayout(`Log volume of ${workerId} by level (${logs.length} lines)`, {
      barmode: 'stack',
      xaxis: { type: 'date', title: { text: 'time (UTC)' } },
      yaxis: { title: { text: 'lines per bin' } },
    }),
  };
}
