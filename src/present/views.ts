/**
 * HTML blocks the notebooks display: verdict lines, the §15 checklist, key/value panels, evidence
 * tables. Pure functions of analysis results, redacted on the way out, so a test can reach every
 * word a notebook shows.
 */
import type { ActiveWorkers } from '../analyses/active-workers.js';
import type { Classification, Criterion, Evidence } from '../analyses/crash-patterns.js';
import type { CrashTiming } from '../analyses/crash-timing.js';
import { FLEET_STATES, type FleetReport } from '../analyses/fleet-report.js';
import type { HeartbeatCadence } from '../analyses/heartbeat-cadence.js';
import { VERDICT_ICONS, type ChecklistItem, type Investigation, type Verdict } from '../analyses/investigation.js';
import type { WorkerStatus } from '../analyses/worker-status.js';
import type { WorkerTasks } from '../analyses/worker-tasks.js';
import { cadenceFields, criterionText, statusFields } from './fields.js';
import { redact } from '../redact.js';
import { formatDuration } from './format.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const safe = (text: string) => escapeHtml(redact(text));
/** Cut only text already redacted: a secret cut in two is no longer secret-shaped. */
const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max - 1) + '…' : text);

/** JupyterLab and nbconvert right-align table cells by default; text reads better left-aligned. */
const CELL = 'padding:2px 8px;text-align:left;vertical-align:top';

const VERDICT_COLORS: Readonly<Record<Verdict, string>> = { ok: '#2ca02c', warn: '#b26b00', bad: '#d62728', info: '#1f77b4' };

/** One ✅/⚠️/❌ line. */
export function verdictLine(verdict: Verdict, text: string): string {
  return `<p style="font-size:14px;margin:4px 0"><span style="font-size:16px">${VERDICT_ICONS[verdict]}</span> <span style="color:${VERDICT_COLORS[verdict]}">${safe(text)}</span></p>`;
}

export function checklistItemHtml(item: ChecklistItem): string {
  return `<div style="margin:6px 0"><b>${safe(item.title)}</b>${verdictLine(item.verdict, item.finding)}</div>`;
}

/** The whole §15 checklist as a table: item, verdict, finding. */
export function checklistHtml(investigation: Investigation): string {
  const rows = investigation.checklist
    .map(
      (c) =>
        `<tr><td style="${CELL};font-size:16px">${c.icon}</td><td style="${CELL}"><b>${safe(c.title)}</b></td><td style="${CELL}">${safe(c.finding)}</td></tr>`,
    )
    .join('');
  return `<table style="border-collapse:collapse;font-size:13px">${rows}</table>`;
}

export function keyValuesHtml(pairs: readonly [string, string | number | boolean | null | undefined][]): string {
  const rows = pairs
    .map(([k, v]) => `<tr><th style="${CELL}">${safe(k)}</th><td style="${CELL}">${v === null || v === undefined ? '–' : safe(String(v))}</td></tr>`)
    .join('');
  return `<table style="border-collapse:collapse;font-size:13px">${rows}</table>`;
}

export function evidenceHtml(evidence: readonly Evidence[]): string {
  const rows = evidence
    .map(
      (e) =>
        `<tr><td style="${CELL};white-space:nowrap">${safe(e.timestamp ?? '')}</td><td style="${CELL}">${safe(e.source)}</td><td style="${CELL}">${safe(e.level ?? '')}</td><td style="${CELL}">${safe(cut(redact(e.message), 300))}</td></tr>`,
    )
    .join('');
  const head = ['time', 'from', 'level', 'line'].map((h) => `<th style="${CELL}">${h}</th>`).join('');
  return `<table style="border-collapse:collapse;font-size:12px"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function criteriaItems(criteria: readonly Criterion[]): string {
  return criteria.map((k) => `<li>${safe(criterionText(k))}</li>`).join('');
}

/** The closing verdict of an investigation: the pattern, why, and the evidence lines. */
export function verdictHtml(investigation: Investigation): string {
  const v = investigation.verdict;
  const c = investigation.classification;
  const severity: Verdict = v.pattern === 'no_crash' ? 'ok' : v.pattern === 'not_started' ? 'warn' : 'bad';
  const criteria = criteriaItems(c.criteria);
  return (
    `<div style="border-left:6px solid ${VERDICT_COLORS[severity]};padding:6px 12px;margin:8px 0">` +
    `<h3 style="margin:4px 0">${VERDICT_ICONS[severity]} ${safe(investigation.worker_id)}: ${safe(v.title)} (<code>${safe(v.pattern)}</code>)</h3>` +
    `<p style="font-size:14px">${safe(v.summary)}</p>` +
    (criteria ? `<ul style="font-size:13px">${criteria}</ul>` : '') +
    `<p><b>Evidence</b></p>${evidenceHtml(v.evidence)}</div>`
  );
}

/** Where the rows come from and the as-of instant: the first thing a reader must know. */
export function sessionBanner(notice: string, asOf: string): string {
  const demo = /demo fleet/.test(notice);
  return (
    `<div style="background:${demo ? '#fff4e0' : '#eef5ff'};padding:6px 10px;border-radius:4px;font-size:13px">` +
    `${demo ? '🧪' : '🗄️'} ${safe(notice.replace(/^worker-forensics: /, ''))}<br>As of <b>${safe(asOf)}</b></div>`
  );
}

export function durationText(seconds: number | null): string {
  return formatDuration(seconds);
}

/** One item of an investigation's checklist, by key. */
export function itemHtml(investigation: Investigation, key: ChecklistItem['key']): string {
  const item = investigation.checklist.find((c) => c.key === key);
  return item ? checklistItemHtml(item) : verdictLine('warn', `no checklist item "${key}"`);
}

/** Which worker a notebook looks at, and why that one. */
export function targetHtml(target: { id: string; reason: string }): string {
  return `<p style="font-size:15px">Worker <code>${safe(target.id)}</code> <span style="color:#666">(${safe(target.reason)})</span></p>`;
}

/** The worker's status; null: its row is gone (a deleted worker whose logs or tasks remain). */
export function statusHtml(s: WorkerStatus | null): string {
  return s === null ? verdictLine('warn', 'No worker row (deleted?): only its logs and tasks remain.') : keyValuesHtml(statusFields(s));
}

/** The guide's §2 ending: the worker's own last line and how long it has been silent. */
export function lastLogHtml(logs: { last_worker_log: { timestamp: string; message: string } | null; silence_s: number | null; orchestrator_lines_after_last_worker_log?: number }): string {
  if (logs.last_worker_log === null) return verdictLine('warn', 'The worker never wrote a line of its own.');
  return (
    verdictLine('info', `Last line from the worker: ${logs.last_worker_log.timestamp} "${logs.last_worker_log.message}"`) +
    verdictLine(
      (logs.silence_s ?? 0) >= 300 ? 'bad' : (logs.silence_s ?? 0) >= 60 ? 'warn' : 'ok',
      `Silence since: ${formatDuration(logs.silence_s)}` +
        (logs.orchestrator_lines_after_last_worker_log ? ` (${logs.orchestrator_lines_after_last_worker_log} orchestrator line(s) about it since)` : ''),
    )
  );
}

/** `3 Complete, 1 Failed`: counts of a record, zeros left out. */
export function countsText(counts: Readonly<Record<string, number>>): string {
  return (
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'none'
  );
}

/** A fleet check's one-line verdict: ✅ when nothing was found, else ⚠️/❌ with the count. */
export function countVerdictHtml(found: number, what: string, severity: Verdict = 'bad'): string {
  return verdictLine(found === 0 ? 'ok' : severity, found === 0 ? `No ${what}.` : `${found} ${what}.`);
}

/** §5 over many workers: the counts, then every death's verdict with its evidence. */
export function classificationsHtml(result: { counts: Readonly<Record<string, number>>; workers: readonly Classification[] }): string {
  const deaths = result.workers.filter((c) => c.pattern !== 'no_crash' && c.pattern !== 'not_started');
  const blocks = deaths
    .map((c) => {
      const criteria = criteriaItems(c.criteria);
      return (
        `<details style="margin:4px 0"><summary><b>${safe(c.id)}</b>: ${safe(c.title)}: ${safe(c.summary)}</summary>` +
        `<ul style="font-size:12px">${criteria}</ul>${evidenceHtml(c.evidence)}</details>`
      );
    })
    .join('');
  return `<p style="font-size:14px">${safe(countsText(result.counts))}</p>${blocks}`;
}

const percentText = (rate: number | null) => (rate === null ? null : `${(rate * 100).toFixed(1)} %`);

/** The §13 report's headline figures. */
export function reportSummaryHtml(report: FleetReport): string {
  return keyValuesHtml([
    ['Window', `${report.from} – ${report.to}`],
    ['Workers created', `${report.workers.total} (${countsText(Object.fromEntries(FLEET_STATES.map((s) => [s, report.workers[s]])))})`],
    ['Tasks created', `${report.tasks.total} (${countsText({ queued: report.tasks.queued, in_progress: report.tasks.in_progress, complete: report.tasks.complete, failed: report.tasks.failed, cancelled: report.tasks.cancelled })})`],
    ['Success rate (Complete / all)', percentText(report.success_rate)],
    ['Failure rate (Failed / all)', percentText(report.failure_rate)],
    ['Average lifetime (to the last DB heartbeat)', formatDuration(report.avg_lifetime_s)],
  ]);
}

/** One line over the fleet's crash timings: how many, median, middle half. */
export function crashTimingSummaryHtml(timing: CrashTiming): string {
  const o = timing.overall;
  return verdictLine(
    o.crashed > 0 ? 'bad' : 'ok',
    o.crashed === 0
      ? `No model-load crash among ${o.switched} worker(s) that switched models.`
      : `${o.crashed} model-load crash(es) of ${o.switched} switching worker(s); median ${formatDuration(o.median_s)}, middle half ${formatDuration(o.q1_s)}–${formatDuration(o.q3_s)}.`,
  );
}

/** §16: the DB heartbeat against the logged ones. */
export function cadenceHtml(c: HeartbeatCadence): string {
  return keyValuesHtml(cadenceFields(c));
}

/** §3: how many tasks, by status. */
export function tasksSummaryHtml(tasks: WorkerTasks): string {
  return verdictLine(tasks.by_status.Failed > 0 ? 'warn' : 'info', `${tasks.total} task(s): ${countsText(tasks.by_status)}`);
}

/** §7: active workers without a fresh heartbeat. */
export function activeSummaryHtml(active: ActiveWorkers): string {
  const unhealthy = active.by_state.dead + active.by_state.never;
  return countVerdictHtml(unhealthy, `active worker(s) without a fresh heartbeat (of ${active.total}: ${countsText(active.by_state)})`);
}
