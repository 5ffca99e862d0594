/** Issue 11 `health`: the fleet's verdict over the last N minutes, with an exit code for cron and alert rules. */
import { THRESHOLDS } from '../../config/thresholds.js';
import { EXIT_CODES } from '../../errors.js';
import * as checks from '../../checks/index.js';
import type { HealthVerdict } from '../../analyses/fleet-health.js';
import { formatDuration, instantText, percentText, shortId } from '../../present/format.js';
import { HEALTH_VERDICT_ICONS } from '../../present/icons.js';
import { healthVerdictReason } from '../../present/fleet-health.js';
import { keyValues, table } from '../../present/terminal.js';
import { positiveNumberOption, type Command } from '../command.js';

/** The exit code of each verdict: 0 when nothing is to be done, so that cron mails only alarms. */
export const HEALTH_EXIT_CODES: Readonly<Record<HealthVerdict, number>> = {
  OK: EXIT_CODES.ok,
  IDLE: EXIT_CODES.ok,
  WARNING: EXIT_CODES.healthWarning,
  BLOCKED: EXIT_CODES.healthBlocked,
};

export const healthCommand: Command = {
  name: 'health',
  section: '–',
  summary: 'Fleet verdict OK/WARNING/BLOCKED/IDLE from the tasks finished in the last N minutes (exit 0/5/6); dead and stalled workers, orphans',
  args: '',
  positionals: { min: 0, max: 0 },
  options: {
    minutes: { type: 'string', value: 'N', description: `tasks finished (Complete or Failed, by updated_at) in the last N minutes (default ${THRESHOLDS.healthWindowS / 60})` },
  },
  details: [
    `Verdict: IDLE when no task finished; BLOCKED when over ${percentText(THRESHOLDS.healthBlockedFailureRate)} failed with at least ${THRESHOLDS.healthBlockedMinFinished} finished; WARNING when over ${percentText(THRESHOLDS.healthWarningFailureRate)} failed; else OK.`,
    `Exit code (with --json too): ${EXIT_CODES.ok} OK or IDLE, ${EXIT_CODES.healthWarning} WARNING, ${EXIT_CODES.healthBlocked} BLOCKED.`,
  ],
  async run({ read }, args) {
    const result = await checks.health(read, { minutes: positiveNumberOption(args, 'minutes', THRESHOLDS.healthWindowS / 60) });
    const exitCode = HEALTH_EXIT_CODES[result.verdict];
    return { result, text: printHealth(result), ...(exitCode !== EXIT_CODES.ok ? { exitCode } : {}) };
  },
};

/** The result object: what --json prints and the printer renders. */
export type HealthResult = Awaited<ReturnType<typeof checks.health>>;

/** The verdict and its reason, the counts, then the dead and stalled workers and the orphaned tasks. */
export function printHealth(result: HealthResult): string[] {
  return [
    `FLEET HEALTH – last ${result.window_minutes} min (${instantText(result.from)} – ${instantText(result.to)})`,
    `${HEALTH_VERDICT_ICONS[result.verdict]} ${result.verdict}: ${healthVerdictReason(result)}`,
    '',
    ...keyValues([
      ['Finished', result.finished],
      ['✅ Complete', result.complete],
      ['❌ Failed', result.failed],
      ['Failure rate', percentText(result.failure_rate)],
      ['Dead workers', result.dead_workers.length],
      ['Stalled workers', result.stalled_workers.length],
      ['Orphaned tasks', result.orphaned_tasks.length],
    ]),
    '',
    `DEAD WORKERS (heartbeat ${formatDuration(THRESHOLDS.heartbeatDeadS)} old or more; died in the window, or status still live): ${result.dead_workers.length}`,
    ...table(result.dead_workers, [
      { header: 'worker', value: (w) => w.id },
      { header: 'status', value: (w) => w.status },
      { header: 'last heartbeat', value: (w) => instantText(w.last_heartbeat) },
      { header: 'age', value: (w) => formatDuration(w.heartbeat_age_s), align: 'right' },
      { header: 'died in window', value: (w) => (w.died_in_window ? 'yes' : 'no') },
      { header: 'status live', value: (w) => (w.status_live ? 'yes' : 'no') },
    ]),
    '',
    `STALLED WORKERS (heartbeat alive, main loop silent with a task): ${result.stalled_workers.length}`,
    ...table(result.stalled_workers, [
      { header: 'worker', value: (s) => s.worker_id },
      { header: 'pattern', value: (s) => s.pattern },
      { header: 'silent for', value: (s) => formatDuration(s.silence_s), align: 'right' },
      { header: 'tasks', value: (s) => s.task_ids.map(shortId).join(', ') },
    ]),
    '',
    `ORPHANED TASKS (In Progress, worker missing, dead or stalled): ${result.orphaned_tasks.length}`,
    ...table(result.orphaned_tasks, [
      { header: 'task', value: (t) => shortId(t.id) },
      { header: 'task_type', value: (t) => t.task_type },
      { header: 'worker', value: (t) => t.worker_id ?? '(none)' },
      { header: 'reason', value: (t) => t.reason },
      { header: 'running for', value: (t) => formatDuration(t.runtime_s), align: 'right' },
    ]),
  ];
}
