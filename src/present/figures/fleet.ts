/** The §13 fleet report as figures: worker states, task outcomes, success rate, lifetimes. */
import { FLEET_STATES, type FleetReport } from '../../analyses/fleet-report.js';
import { baseLayout, COLORS, TASK_STATUS_COLORS, type Figure } from './figure.js';

export function fleetStateFigure(report: FleetReport): Figure {
  return {
    data: [
      {
        type: 'bar',
        x: [...FLEET_STATES],
        y: FLEET_STATES.map((s) => report.workers[s]),
        text: FLEET_STATES.map((s) => String(report.workers[s])),
        textposition: 'auto',
        marker: { color: FLEET_STATES.map((s) => COLORS[s]) },
        hovertemplate: '%{x}: %{y} worker(s)<extra></extra>',
      },
    ],
    layout: baseLayout(`Workers created in the last ${report.window_hours} h: ${report.workers.total}`, {
      yaxis: { title: { text: 'workers' }, dtick: 1 },
      showlegend: false,
    }),
  };
}

export function taskOutcomeFigure(report: FleetReport): Figure {
  const outcomes = [
    ['Queued', report.tasks.queued],
    ['In Progress', report.tasks.in_progress],
    ['Complete', report.tasks.complete],
    ['Failed', report.tasks.failed],
    ['Cancelled', report.tasks.cancelled],
  ] as const;
  const rate = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`);
  return {
    data: [
      {
        type: 'bar',
        x: outcomes.map(([s]) => s),
        y: outcomes.map(([, n]) => n),
        text: outcomes.map(([, n]) => String(n)),
        textposition: 'auto',
        marker: { color: outcomes.map(([s]) => TASK_STATUS_COLORS[s]) },
        hovertemplate: '%{x}: %{y} task(s)<extra></extra>',
      },
    ],
    layout: baseLayout(
      `Tasks created in the window: ${report.tasks.total} · success ${rate(report.success_rate)} · failure ${rate(report.failure_rate)}`,
      { yaxis: { title: { text: 'tasks' } }, showlegend: false },
    ),
  };
}

export function taskTypeFigure(report: FleetReport): Figure {
  const types = report.by_task_type;
  return {
    data: [
      { type: 'bar', name: 'Complete', x: types.map((t) => t.task_type), y: types.map((t) => t.complete), marker: { color: TASK_STATUS_COLORS['Complete'] } },
      { type: 'bar', name: 'Failed', x: types.map((t) => t.task_type), y: types.map((t) => t.failed), marker: { color: TASK_STATUS_COLORS['Failed'] } },
      { type: 'bar', name: 'other', x: types.map((t) => t.task_type), y: types.map((t) => t.total - t.complete - t.failed), marker: { color: '#bbbbbb' } },
    ],
    layout: baseLayout('Task outcomes by task type', { barmode: 'stack', yaxis: { title: { text: 'tasks' } } }),
  };
}

export function lifetimeFigure(report: FleetReport): Figure {
  const withLifetime = report.lifetimes.filter((l) => l.lifetime_s !== null);
  const states = FLEET_STATES.filter((s) => withLifetime.some((l) => l.state === s));
  return {
    data: states.map((state) => ({
      type: 'box',
      name: state,
      y: withLifetime.filter((l) => l.state === state).map((l) => l.lifetime_s! / 60),
      text: withLifetime.filter((l) => l.state === state).map((l) => l.id),
      boxpoints: 'all',
      jitter: 0.4,
      pointpos: 0,
      marker: { color: COLORS[state] },
      hovertemplate: '%{text}<br>%{y:.1f} min<extra>' + state + '</extra>',
    })),
    layout: baseLayout(
      `Worker lifetimes (creation → last DB heartbeat), average ${report.avg_lifetime_s === null ? '–' : (report.avg_lifetime_s / 60).toFixed(1) + ' min'}`,
      { yaxis: { title: { text: 'minutes' }, rangemode: 'tozero' }, showlegend: false },
    ),
  };
}
