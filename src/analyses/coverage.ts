/**
 * What a result could see: for each marker family it reads, how many lines of that family the
 * worker wrote in its whole life (up to as-of). Zero means the worker's version (or the team's
 * wording) logs no such line, so a finding that needs one is undecided, never "none found":
 * present/ words it ("no heartbeat lines logged: gaps judged from the DB heartbeat only").
 */
import type { MarkerFamily } from '../config/markers.js';

export type Coverage = Partial<Record<MarkerFamily, number>>;

/** The coverage of the given families, from per-family line counts. */
export function coverageOf(families: readonly MarkerFamily[], counts: Readonly<Record<MarkerFamily, number>>): Coverage {
  return Object.fromEntries(families.map((f) => [f, counts[f]]));
}

/** Whether the worker logged any line of the family (null when the result did not read it). */
export function logged(coverage: Coverage, family: MarkerFamily): boolean | null {
  const n = coverage[family];
  return n === undefined ? null : n > 0;
}
