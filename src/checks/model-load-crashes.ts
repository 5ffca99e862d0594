import { DEFAULT_WINDOW_HOURS } from '../config/thresholds.js';
import { modelLoadCrashes } from '../analyses/model-load-crashes.js';
import { hoursWindow } from '../rows/window.js';
import { loadSwitchedCases, type ReadContext } from './load.js';
import { asOfOf } from './context.js';

/** §12 */
export async function modelLoadCrashesCheck(read: ReadContext, hours: number = DEFAULT_WINDOW_HOURS.crashes) {
  const window = hoursWindow(read.asOf, hours);
  const fleet = await loadSwitchedCases(read, window);
  return { ...asOfOf(read), window_hours: hours, ...modelLoadCrashes(fleet.cases, window, read.asOf) };
}
