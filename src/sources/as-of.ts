/**
 * A source seen as of an instant: rows created after it (workers, tasks) and lines written after
 * it did not exist then, so no read returns them. Every analysis reads through this view, so that
 * `--as-of` yesterday shows yesterday's fleet (as far as the tables can: a row's current status is
 * all they keep).
 */
import type { Instant } from '../time.js';
import type { Source } from './types.js';

const upTo = (bound: Instant | undefined, asOf: Instant) => (bound === undefined ? asOf : Math.min(bound, asOf));

export function asOfView(source: Source, asOf: Instant): Source {
  const view: Source = {
    kind: source.kind,
    label: source.label,
    frozenAt: source.frozenAt,
    workers: (query, options) => source.workers({ ...query, createdTo: upTo(query.createdTo, asOf) }, options),
    tasks: (query, options) => source.tasks({ ...query, createdTo: upTo(query.createdTo, asOf) }, options),
    logs: (query, options) => source.logs({ ...query, until: upTo(query.until, asOf) }, options),
    close: () => source.close(),
  };
  if (source.workerSignals) {
    const signals = source.workerSignals.bind(source);
    view.workerSignals = (ids, at, options) => signals(ids, Math.min(at, asOf), options);
  }
  return view;
}
