/** The words of `health` (issue 11): why the verdict is what it is, and its notebook panel. */
import { THRESHOLDS } from '../config/thresholds.js';
import type { FleetHealth, HealthVerdict } from '../analyses/fleet-health.js';
import type { Verdict } from '../analyses/investigation.js';
import { instantText, percentText } from './format.js';
import { keyValuesHtml, verdictLine } from './views.js';

/** The verdict's severity as the notebook's ✅/⚠️/❌ lines show it. */
export const HEALTH_VERDICT_SEVERITY: Readonly<Record<HealthVerdict, Verdict>> = { OK: 'ok', IDLE: 'info', WARNING: 'warn', BLOCKED: 'bad' };

/** Why the verdict is what it is, in one line (the rule it met, with the thresholds of the config module). */
export function healthVerdictReason(result: Pick<FleetHealth, 'verdict' | 'failure_rate' | 'finished'>): string {
  const rate = percentText(result.failure_rate);
  switch (result.verdict) {
    case 'IDLE':
      return 'no task finished in the window';
    case 'BLOCKED':
      return `${rate} of ${result.finished} finished tasks failed (over ${percentText(THRESHOLDS.healthBlockedFailureRate)}, at least ${THRESHOLDS.healthBlockedMinFinished} finished)`;
    case 'WARNING':
      return `${rate} of ${result.finished} finished tasks failed (over ${percentText(THRESHOLDS.healthWarningFailureRate)})`;
    case 'OK':
      return `${rate} of ${result.finished} finished tasks failed (at most ${percentText(THRESHOLDS.healthWarningFailureRate)})`;
  }
}

/** The verdict line, then the counts. */
export function healthSummaryHtml(result: FleetHealth): string {
  return (
    verdictLine(HEALTH_VERDICT_SEVERITY[result.verdict], `${result.verdict}: ${healthVerdictReason(result)}`) +
    keyValuesHtml([
      ['Window', `${instantText(result.from)} – ${instantText(result.to)}`],
      ['Finished (Complete or Failed, by updated_at)', `${result.finished} (${result.complete} Complete, ${result.failed} Failed)`],
      ['Failure rate', percentText(result.failure_rate)],
      ['Dead workers', result.dead_workers.length],
      ['Stalled workers', result.stalled_workers.length],
      ['Orphaned tasks', result.orphaned_tasks.length],
    ])
  );
}
