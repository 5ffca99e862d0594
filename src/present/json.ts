/**
 * The output edge of every result: analyses keep instants as numbers (epoch microseconds) so that
 * they sort and subtract exactly; a document leaves as JSON with each instant printed as ISO-8601
 * UTC. Which numbers are instants is told by the key, one naming rule for every result:
 * `at`, `timestamp`, `as_of`, `from`, `to`, `until`, `last_heartbeat`, `db_last_heartbeat`, or a name
 * ending in `_at`. A test walks every check's result and holds both directions (every instant is
 * under such a key; every such key holds an instant).
 */
import { formatInstant } from '../rows/time.js';

export const INSTANT_KEY = /^(?:at|timestamp|as_of|from|to|until|last_heartbeat|db_last_heartbeat)$|_at$/;

/** A copy of `value` with every number under an instant key printed as ISO-8601 (others as they are). */
export function jsonDocument<T>(value: T): unknown {
  return convert(value, null);
}

function convert(value: unknown, key: string | null): unknown {
  if (typeof value === 'number') return key !== null && INSTANT_KEY.test(key) ? formatInstant(value) : value;
  if (Array.isArray(value)) return value.map((item) => convert(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, k)]));
  }
  return value;
}
