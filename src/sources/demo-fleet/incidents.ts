/**
 * Fleet-wide incidents that strike whichever worker happens to be busy: a storage outage in the
 * last half hour before as-of, during which most uploads of finished generations fail and their
 * tasks with them. It is the failure period that makes `health` say WARNING (issue 11).
 */
import { THRESHOLDS } from '../../config/thresholds.js';
import { MICROS_PER_SECOND, type Instant } from '../../rows/time.js';

/** The outage began this long before the health window, so that the whole window lies inside it. */
const OUTAGE_LEAD_S = 4 * 60;
/** Two uploads of every three fail: a failure rate over THRESHOLDS.healthWarningFailureRate, under the blocked one. */
const FAILING_UPLOADS_PER_SUCCESS = 2;

/**
 * Of every `failing + 1` uploads attempted during the outage, `failing` fail: a deterministic
 * share, so that the failure rate of the window is the same whatever the seed or the scale.
 */
export class UploadOutage {
  /** Workers whose task failed in the outage, in the order they met it. */
  readonly failedWorkers: string[] = [];
  private attempted = 0;

  constructor(
    readonly from: Instant,
    readonly until: Instant,
    private readonly failing: number,
  ) {}

  /** Whether the upload made at `at` fails (counted only when the task's end is recorded). */
  failsUpload(at: Instant, workerId: string): boolean {
    if (at < this.from || at > this.until) return false;
    this.attempted++;
    const fails = this.attempted % (this.failing + 1) !== 0;
    if (fails && !this.failedWorkers.includes(workerId)) this.failedWorkers.push(workerId);
    return fails;
  }
}

/** The outage of the demo fleet: from a little before the health window to as-of. */
export function storageOutageBefore(asOf: Instant): UploadOutage {
  return new UploadOutage(asOf - (THRESHOLDS.healthWindowS + OUTAGE_LEAD_S) * MICROS_PER_SECOND, asOf, FAILING_UPLOADS_PER_SUCCESS);
}
