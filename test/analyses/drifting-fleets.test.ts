/**
 * Issue 9 on generated fleets: simulated fleets of other seeds drift in every way the schema page
 * lists (versions without heartbeat lines, start-up failures with start-up lines, stalled workers,
 * `[RAM]` samples climbing before an OOM, orchestrator kill metadata); each is then reworded, every
 * marker line in a team's own words, and read (a) with a markers file naming the new wording, and
 * (b) with the built-in vocabulary only.
 *
 * (a) must give every worker the verdict the original wording gets: the markers file is made from
 * the built-in expressions by the same substitution that rewords the lines, so nothing here is
 * tuned to the demo data. (b) must never go quiet on a death or accuse: a worker the original
 * judges dead stays dead (its pattern or `unexplained`), no worker gets a crash pattern the original
 * does not give it (a VLM hang seen as a plain stall aside: it is one), and a verdict that lost
 * lines says so in its coverage notes. What (b) cannot do is tell a live hang from work when the
 * heartbeat lines themselves are unreadable: they look like the main loop speaking. Such a worker
 * reads `no_crash` with the note that no heartbeat line was seen; the markers file is the remedy.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerCase } from '../../src/analyses/cases.js';
import { classifyWorkers, type Classification } from '../../src/analyses/crash-patterns.js';
import { computeSignalsForWorker } from '../../src/analyses/worker-signals.js';
import { BUILT_IN_MARKERS, MARKER_FAMILIES, type MarkerFamily } from '../../src/config/markers.js';
import { BUILT_IN_VOCABULARY, compileVocabulary, type Vocabulary } from '../../src/config/vocabulary.js';
import { parseRows } from '../../src/rows/parse.js';
import type { SystemLog, Task } from '../../src/rows/schemas.js';
import { simulateFleet, type DemoFleet } from '../../src/sources/demo-fleet.js';

/** Seeds other than the demo's own: fleets the classifier was not written against. */
const SEEDS = [11, 29, 47];

/**
 * A team's own words for the markers: [the guide's or upstream's words, the team's]. Matching is
 * case-insensitive for ASCII letters, so the substitution is too. Words of the start-up and ready
 * families are common English and stay as they are: the fleet is reworded where a team would.
 */
const REWORDING: readonly (readonly [string, string])[] = [
  ['model switch', 'ckpt swap'],
  ['switched model', 'swapped ckpt'],
  ['model loaded', 'ckpt resident'],
  ['switching from', 'swapping out'],
  ['offloading previous model', 'evicting prior ckpt'],
  ['[heartbeat]', '[pulse]'],
  ['before vlm loading', 'vlm warmup begins'],
  ['memory profile', 'mem tier'],
  ['wgp', 'gpx'],
  ['[ram]', '[mem]'],
  ['claimed task', 'picked job'],
  ['[claim]', '[pick]'],
  ['shutting down', 'powering off'],
  ['marking as error', 'flagging broken'],
  ['marking worker', 'flagging worker'],
  ['[worker_log_tail]', '[pod_tail]'],
];

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewords a log message. */
function reword(message: string): string {
  return REWORDING.reduce((text, [from, to]) => text.replace(new RegExp(escapeRegex(from), 'gi'), to), message);
}

/** The same substitution inside a marker expression's source, where the words' punctuation is escaped. */
function rewordExpression(source: string): string {
  return REWORDING.reduce((text, [from, to]) => {
    const inSource = [...from].map((ch) => (/[A-Za-z0-9 ]/.test(ch) ? escapeRegex(ch) : `\\\\?${escapeRegex(ch)}`)).join('');
    return text.replace(new RegExp(inSource, 'gi'), escapeRegex(to));
  }, source);
}

/** The markers file a team with the reworded fleet would write: every family, reworded. */
const REWORDED_MARKERS_FILE = Object.fromEntries(MARKER_FAMILIES.map((f) => [f, BUILT_IN_MARKERS[f].map(rewordExpression)])) as Record<MarkerFamily, string[]>;
const REWORDED_VOCABULARY = compileVocabulary(REWORDED_MARKERS_FILE, 'reworded-markers.json');

function rewordFleet(fleet: DemoFleet): DemoFleet {
  return { ...fleet, system_logs: fleet.system_logs.map((row) => ({ ...row, message: typeof row['message'] === 'string' ? reword(row['message']) : row['message'] })) };
}

function classifyFleet(fleet: DemoFleet, vocabulary: Vocabulary): Map<string, Classification> {
  const workers = parseRows('workers', fleet.workers).rows;
  const tasks = parseRows('tasks', fleet.tasks).rows;
  const logs = parseRows('system_logs', fleet.system_logs).rows;
  const tasksOf = new Map<string, Task[]>();
  for (const t of tasks) if (t.worker_id) tasksOf.set(t.worker_id, [...(tasksOf.get(t.worker_id) ?? []), t]);
  const logsOf = new Map<string, SystemLog[]>();
  for (const l of logs) if (l.worker_id) logsOf.set(l.worker_id, [...(logsOf.get(l.worker_id) ?? []), l]);
  const cases: WorkerCase[] = workers.map((w) => ({
    worker: w,
    tasks: tasksOf.get(w.id) ?? [],
    signals: computeSignalsForWorker(w.id, logsOf.get(w.id) ?? [], fleet.asOf, vocabulary),
  }));
  return new Map(classifyWorkers(cases, fleet.asOf, vocabulary).map((c) => [c.id, c]));
}

/** What a verdict decides, without the words of the lines it quotes. */
const decision = (c: Classification) => ({
  pattern: c.pattern,
  confidence: c.confidence,
  died_at: c.died_at,
  crash_after_switch_s: c.crash_after_switch_s,
  criteria: c.criteria.map((k) => `${k.pattern}.${k.key}=${k.met}`),
  clean_end: c.clean_end?.by ?? null,
});

const CRASHES = new Set(['oom_model_load', 'init_failure', 'vlm_loading_hang', 'stalled']);

describe.each(SEEDS)('a simulated fleet of seed %i, reworded', (seed) => {
  const fleet = simulateFleet({ seed });
  const reworded = rewordFleet(fleet);
  const original = classifyFleet(fleet, BUILT_IN_VOCABULARY);

  it('drifts in every way of issue 9 (the cases are there to judge)', () => {
    for (const scenario of ['oom_without_heartbeat_lines', 'ram_climb_before_oom', 'init_failure_with_startup_lines', 'stalled'] as const) {
      expect(fleet.scenarios[scenario].length, scenario).toBeGreaterThan(0);
    }
    // The rewording touched lines of every family it rewords, and the built-in vocabulary reads none of them.
    const changed = fleet.system_logs.filter((row, i) => row['message'] !== reworded.system_logs[i]!['message']);
    expect(changed.length).toBeGreaterThan(100);
    for (const family of ['model_switch', 'heartbeat', 'vlm_loading', 'ram', 'memory_profile', 'orchestrator_error'] as const) {
      const matcher = BUILT_IN_VOCABULARY.families[family].test!;
      expect(reworded.system_logs.filter((row) => matcher.test(String(row['message']))), family).toHaveLength(0);
    }
  });

  it('with a markers file naming the new wording: every worker judged as in the original wording', () => {
    const judged = classifyFleet(reworded, REWORDED_VOCABULARY);
    for (const [id, c] of original) expect(decision(judged.get(id)!), id).toEqual(decision(c));
    // The verdicts are the patterns, found on the workers simulated with them.
    const withPattern = (p: string) => [...judged.values()].filter((c) => c.pattern === p).map((c) => c.id).sort();
    const s = fleet.scenarios;
    expect(withPattern('oom_model_load')).toEqual([...s.oom_during_model_loading, ...s.oom_without_heartbeat_lines, ...s.ram_climb_before_oom].sort());
    expect(withPattern('init_failure')).toEqual([...s.initialization_failure, ...s.init_failure_with_startup_lines].sort());
    expect(withPattern('vlm_loading_hang')).toEqual([...s.vlm_loading_hang].sort());
    expect(withPattern('stalled')).toEqual([...s.stalled].sort());
  });

  it('with the built-in vocabulary only: no worker goes quiet, none is accused of a crash it did not have, and the lost lines are named', () => {
    const judged = classifyFleet(reworded, BUILT_IN_VOCABULARY);
    let notes = 0;
    for (const [id, before] of original) {
      const after = judged.get(id)!;
      // Death is read from the rows the wording does not touch: a dead worker stays dead.
      expect(after.end_reason, id).toBe(before.end_reason);
      const allowed = new Set([before.pattern]);
      if (CRASHES.has(before.pattern)) allowed.add(before.end_reason === null ? 'no_crash' : 'unexplained');
      if (before.pattern === 'vlm_loading_hang') allowed.add('stalled');
      expect([...allowed], `${id}: ${before.pattern} became ${after.pattern}`).toContain(after.pattern);
      // A live crash read as no crash: only because its heartbeat lines went unseen, and the verdict says so.
      if (CRASHES.has(before.pattern) && after.pattern === 'no_crash') {
        expect(after.coverage.heartbeat, id).toBe(0);
        expect(before.coverage.heartbeat, id).toBeGreaterThan(0);
      }
      if (after.coverage.model_switch === 0 && (before.coverage.model_switch ?? 0) > 0) notes++;
    }
    // Workers whose switch lines the built-in vocabulary no longer sees are many, and each is told.
    expect(notes).toBeGreaterThan(5);
  });
});
