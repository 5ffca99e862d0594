/** Result objects are the JSON contract: instants as ISO-8601 UTC strings, durations in seconds. */
import { formatInstant, type Instant } from '../rows/time.js';

export type IsoInstant = string;

export function iso(instant: Instant): IsoInstant;
export function iso(instant: Instant | null): IsoInstant | null;
export function iso(instant: Instant | null): IsoInstant | null {
  return instant === null ? null : formatInstant(instant);
}
