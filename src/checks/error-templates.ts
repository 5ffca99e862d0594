import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { ERROR_LEVELS } from '../config/markers.js';
import { errorTemplates } from '../analyses/error-templates.js';
import { hoursWindow } from '../rows/window.js';
import type { ReadContext } from './load.js';
import { asOfOf } from './context.js';

/**
 * Issue 11 `errors`: tasks that failed in the last `hours` (by `updated_at`, the instant they
 * failed) and the ERROR/CRITICAL lines written in them, any writer: two reads, filtered where the
 * rows live.
 */
export async function errors(read: ReadContext, options: { hours?: number } = {}) {
  const hours = options.hours ?? DEFAULT_WINDOW_HOURS.errors;
  const window = hoursWindow(read.asOf, hours);
  const [failed, lines] = await Promise.all([
    read.source.tasks({ statuses: ['Failed'], updatedFrom: window.from, updatedTo: window.to }, read.read),
    read.source.logs({ levels: [...ERROR_LEVELS], since: window.from, until: window.to }, read.read),
  ]);
  read.problems.add(failed.problems);
  read.problems.add(lines.problems);
  return { ...asOfOf(read), window_hours: hours, from: window.from, to: window.to, ...errorTemplates(failed.rows, lines.rows) };
}
