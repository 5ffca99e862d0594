/**
 * HTML blocks the notebooks display: verdict lines, the §15 checklist, key/value panels, evidence
 * tables. Pure functions of analysis results, redacted on the way out, so a test can reach every
 * word a notebook shows.
 */
import type { ActiveWorkers } from '../analyses/active-workers.js';
import type { Classification, CrashPattern } from '../analyses/crash-patterns.js';
import type { CrashTiming } from '../analyses/crash-timing.js';
import { FLEET_STATES, type FleetReport } from '../analyses/fleet-report.js';
import type { HeartbeatCadence } from '../analyses/heartbeat-cadence.js';
import type { HeartbeatGaps } from '../analyses/heartbeat-gaps.js';
import { lastLogItem, type ChecklistItem, type Investigation, type Verdict } from '../analyses/investigation.js';
import type { ModelLoadCrashes } from '../analyses/model-load-crashes.js';
import type { RecentWorkers } from '../analyses/recent-workers.js';
import type { StaleWorkers } from '../analyses/stale-workers.js';
import type { WorkerLogs } from '../analyses/worker-logs.js';
import type { WorkerStatus } from '../analyses/worker-status.js';
import type { WorkerTasks } from '../analyses/worker-tasks.js';
import type { Instant } from '../rows/time.js';
import type { Worker } from '../rows/schemas.js';
import { heartbeatOf } from '../analyses/heartbeat.js';
import { CRASH_PATTERN_TITLES, confidenceMeaning, classificationSummary, coverageNotes, wordCriterion, wordEvidence } from './crash-patterns.js';
import { cadenceFields, HEARTBEAT_BAND_FIELD, statusFields, type Field } from './fields.js';
import { countsText, cut, formatDuration, instantText, percentText, thresholdText } from './format.js';
import { safeHtml } from './html.js';
import { BADGE_COLORS, criterionBadge, HEARTBEAT_STATE_BADGE_COLORS, VERDICT_BADGE_COLORS, VERDICT_LABELS } from './icons.js';
import { wordChecklistItem } from './investigation.js';
import type { Evidence } from '../analyses/crash-patterns.js';

const safe = safeHtml;

/** JupyterLab and nbconvert right-align table cells by default; text reads better left-aligned. */
const CELL = 'padding:2px 8px;text-align:left;vertical-align:top';

const VERDICT_COLORS: Readonly<Record<Verdict, string>> = { ok: '#2ca02c', warn: '#b26b00', bad: '#d62728', info: '#1f77b4' };

/**
 * A word on a coloured box, drawn by CSS: what the terminal shows as ✅/⚠️/❌, readable without an
 * emoji font. The label is the badge's text, so it is what a screen reader or a text search finds.
 */
export function badgeHtml(label: string, color: string): string {
  return (
    `<span class="wf-badge" style="display:inline-block;min-width:4.2em;box-sizing:border-box;padding:0 6px;border-radius:3px;` +
    `background:${color};color:#fff;font:600 11px/17px sans-serif;letter-spacing:0.02em;text-align:center;vertical-align:middle;white-space:nowrap">` +
    `${safe(label)}</span>`
  );
}

/** A verdict's badge: `ok`, `warning`, `dead` or `info`. */
export function verdictBadgeHtml(verdict: Verdict): string {
  return badgeHtml(VERDICT_LABELS[verdict], VERDICT_BADGE_COLORS[verdict]);
}

/** One verdict line: its badge, then the finding. */
export function verdictLine(verdict: Verdict, text: string): string {
  return `<p style="font-size:14px;margin:4px 0;line-height:1.5">${verdictBadgeHtml(verdict)} <span style="color:${VERDICT_COLORS[verdict]}">${safe(text)}</span></p>`;
}

export function checklistItemHtml(item: ChecklistItem): string {
  const worded = wordChecklistItem(item);
  return `<div style="margin:6px 0"><b>${safe(worded.title)}</b>${verdictLine(worded.verdict, worded.finding)}</div>`;
}

/** The whole §15 checklist as a table: item, verdict, finding. */
export function checklistHtml(investigation: Investigation): string {
  const rows = investigation.checklist
    .map(wordChecklistItem)
    .map(
      (c) =>
        `<tr><td style="${CELL}">${verdictBadgeHtml(c.verdict)}</td><td style="${CELL}"><b>${safe(c.title)}</b></td><td style="${CELL}">${safe(c.finding)}</td></tr>`,
    )
    .join('');
  return `<table style="border-collapse:collapse;font-size:13px">${rows}</table>`;
}

export function keyValuesHtml(pairs: readonly [string, string | number | boolean | null | undefined][]): string {
  return keyValueRowsHtml(pairs.map(([k, v]) => [k, v === null || v === undefined ? '–' : safe(String(v))]));
}

/** Key/value rows whose values are HTML already made safe. */
function keyValueRowsHtml(pairs: readonly [string, string][]): string {
  const rows = pairs.map(([k, v]) => `<tr><th style="${CELL}">${safe(k)}</th><td style="${CELL}">${v}</td></tr>`).join('');
  return `<table style="border-collapse:collapse;font-size:13px">${rows}</table>`;
}

export function evidenceHtml(evidence: readonly Evidence[]): string {
  const rows = evidence
    .map(wordEvidence)
    .map(
      (e) =>
        `<tr><td style="${CELL};white-space:nowrap">${e.timestamp === null ? '' : safe(instantText(e.timestamp))}</td><td style="${CELL}">${safe(e.source)}</td><td style="${CELL}">${safe(e.level ?? '')}</td><td style="${CELL}">${safe(cut(e.message, 300))}</td></tr>`,
    )
    .join('');
  const head = ['time', 'from', 'level', 'line'].map((h) => `<th style="${CELL}">${h}</th>`).join('');
  return `<table style="border-collapse:collapse;font-size:12px"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function criteriaItems(c: Classification): string {
  return c.criteria
    .map((k) => wordCriterion(k, c.pattern))
    .map((k) => {
      const badge = criterionBadge(k.met, k.required);
      return `<li style="margin:2px 0;line-height:1.5">${badgeHtml(badge.label, badge.color)} ${safe(k.name)}${k.required ? '' : ' (corroborating)'}: ${safe(k.detail)}</li>`;
    })
    .join('');
}

/** How bad a verdict is: no crash is fine, never started is a warning, a death or a stall is bad. */
function patternSeverity(pattern: CrashPattern): Verdict {
  return pattern === 'no_crash' ? 'ok' : pattern === 'not_started' ? 'warn' : 'bad';
}

/** `likely: every required criterion met; …` as a small label beside the pattern. */
function confidenceHtml(c: Classification): string {
  const meaning = confidenceMeaning(c);
  if (c.confidence === null || meaning === null) return '';
  return ` <span title="${safe(meaning)}" style="font-size:12px;border:1px solid #999;border-radius:3px;padding:0 4px;font-weight:normal">${safe(c.confidence)}</span>`;
}

/** What the rows could not show (a family the worker never logged), as small print. */
function coverageHtml(c: Classification): string {
  const notes = coverageNotes(c.coverage);
  return notes.length === 0 ? '' : `<p style="font-size:12px;color:#666;margin:2px 0">${notes.map(safe).join('<br>')}</p>`;
}

/** The closing verdict of an investigation: the pattern, why, and the evidence lines. */
export function verdictHtml(investigation: Investigation): string {
  const c = investigation.classification;
  const severity = patternSeverity(c.pattern);
  const criteria = criteriaItems(c);
  return (
    `<div style="border-left:6px solid ${VERDICT_COLORS[severity]};padding:6px 12px;margin:8px 0">` +
    // The notebook's stylesheet sets a fixed heading line-height: a long title wraps, and a second line
    // clipped under it would hide the pattern. The heading sets its own.
    `<h3 style="margin:4px 0;line-height:1.45;height:auto;overflow:visible;overflow-wrap:anywhere">${verdictBadgeHtml(severity)} ${safe(investigation.worker_id)}: ${safe(CRASH_PATTERN_TITLES[c.pattern])} (<code>${safe(c.pattern)}</code>)${confidenceHtml(c)}</h3>` +
    `<p style="font-size:14px">${safe(classificationSummary(c))}</p>` +
    (criteria ? `<ul style="font-size:13px">${criteria}</ul>` : '') +
    coverageHtml(c) +
    `<p><b>Evidence</b></p>${evidenceHtml(c.evidence)}</div>`
  );
}

/** Where the rows come from and the as-of instant: the first thing a reader must know. */
export function sessionBanner(notice: string, asOf: Instant): string {
  const demo = /demo fleet/.test(notice);
  return (
    `<div style="background:${demo ? '#fff4e0' : '#eef5ff'};padding:6px 10px;border-radius:4px;font-size:13px">` +
    `${badgeHtml(demo ? 'demo' : 'source', demo ? BADGE_COLORS.warn : BADGE_COLORS.info)} ${safe(notice.replace(/^worker-forensics: /, ''))}<br>As of <b>${safe(instantText(asOf))}</b></div>`
  );
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
  if (s === null) return verdictLine('warn', 'No worker row (deleted?): only its logs and tasks remain.');
  // The heartbeat band as a badge, not the terminal's emoji.
  const band = badgeHtml(s.heartbeat_state, HEARTBEAT_STATE_BADGE_COLORS[s.heartbeat_state]);
  return keyValueRowsHtml(statusFields(s).map(([k, v]: Field) => [k, k === HEARTBEAT_BAND_FIELD ? band : v === null ? '–' : safe(String(v))]));
}

/**
 * The guide's §2 ending: the worker's own last line and how long it has been silent, judged by the
 * checklist's own rule (quiet only while its DB heartbeat is alive). `worker` null: no worker row.
 */
export function lastLogHtml(
  logs: Pick<WorkerLogs, 'last_worker_log' | 'silence_s'> & Partial<Pick<WorkerLogs, 'orchestrator_lines_after_last_worker_log'>>,
  worker: Pick<Worker, 'last_heartbeat'> | null,
  asOf: Instant,
): string {
  const state = worker === null ? 'never' : heartbeatOf(worker, asOf).state;
  return checklistItemHtml(lastLogItem({ orchestrator_lines_after_last_worker_log: 0, ...logs }, state, null));
}

/** A fleet check's one-line verdict: ok when nothing was found, else a warning or dead badge with the count. */
export function countVerdictHtml(found: number, what: string, severity: Verdict = 'bad'): string {
  return verdictLine(found === 0 ? 'ok' : severity, found === 0 ? `No ${what}.` : `${found} ${what}.`);
}

/** §5 over many workers: the counts, then every death's verdict with its evidence. */
export function classificationsHtml(result: { counts: Readonly<Record<string, number>>; workers: readonly Classification[] }): string {
  // Deaths and stalls: what a reader opens the section for.
  const deaths = result.workers.filter((c) => c.pattern !== 'no_crash' && c.pattern !== 'not_started');
  const blocks = deaths
    .map(
      (c) =>
        `<details style="margin:4px 0"><summary><b>${safe(c.id)}</b>: ${safe(CRASH_PATTERN_TITLES[c.pattern])}${confidenceHtml(c)}: ${safe(classificationSummary(c))}</summary>` +
        `<ul style="font-size:12px">${criteriaItems(c)}</ul>${coverageHtml(c)}${evidenceHtml(c.evidence)}</details>`,
    )
    .join('');
  return `<p style="font-size:14px">${safe(countsText(result.counts))}</p>${blocks}`;
}

/** The §13 report's headline figures. */
export function reportSummaryHtml(report: FleetReport): string {
  return keyValuesHtml([
    ['Window', `${instantText(report.from)} – ${instantText(report.to)}`],
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

/** §8: how many workers the window holds. */
export function recentSummaryHtml(recent: RecentWorkers): string {
  return verdictLine('info', `${recent.total} worker(s) created ${instantText(recent.from)} – ${instantText(recent.to)}`);
}

/** §9: active workers past the stale threshold, and those that never beat. */
export function staleSummaryHtml(stale: StaleWorkers): string {
  return (
    countVerdictHtml(stale.workers.length, `active worker(s) with a heartbeat older than ${thresholdText(stale.threshold_s)}`) +
    countVerdictHtml(stale.never_heartbeat.length, 'active worker(s) that never sent a heartbeat', 'warn')
  );
}

/** §12: deaths within the model-load window of a switch. */
export function modelLoadCrashesSummaryHtml(crashes: ModelLoadCrashes): string {
  return countVerdictHtml(
    crashes.workers.length,
    `worker(s) died within ${thresholdText(crashes.window_s)} of a MODEL SWITCH (of ${crashes.switched} that switched)`,
  );
}

/** §4A: the caption of the gaps table, with the threshold the result used. */
export function gapsCaption(gaps: Pick<HeartbeatGaps, 'threshold_s'>): string {
  return `Gaps over ${thresholdText(gaps.threshold_s)}`;
}
