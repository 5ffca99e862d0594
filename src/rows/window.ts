/** A time window: both bounds inclusive, in instants (epoch microseconds). */
import { MICROS_PER_SECOND, type Instant } from './time.js';

export interface TimeWindow {
  from: Instant;
  to: Instant;
}

export function inWindow(instant: Instant, window: TimeWindow): boolean {
  return instant >= window.from && instant <= window.to;
}

/** The window of the last `hours` before as-of. */
export function hoursWindow(asOf: Instant, hours: number): TimeWindow {
  return { from: asOf - Math.round(hours * 3600 * MICROS_PER_SECOND), to: asOf };
}
