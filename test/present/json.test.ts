/**
 * Instants stay numbers until the output edge, and one naming rule says which numbers are instants
 * (src/present/json.ts). This holds the rule in both directions over every check's result on the
 * demo fleet: every number under an instant key is an instant, and no instant hides under another
 * key (it would print as a bare number of microseconds).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as checks from '../../src/checks/index.js';
import { openSession, type Session } from '../../src/checks/session.js';
import { INSTANT_KEY, jsonDocument } from '../../src/present/json.js';
import { classificationDocument } from '../../src/present/crash-patterns.js';
import { investigationDocument } from '../../src/present/investigation.js';
import { parseInstant } from '../../src/rows/time.js';

/** 2001-09-09 in epoch microseconds: any instant of this tool's data is later, any duration or count far smaller. */
const INSTANT_FLOOR = 1e15;

function walk(value: unknown, key: string, path: string, visit: (key: string, path: string, value: number) => void): void {
  if (typeof value === 'number') visit(key, path, value);
  else if (Array.isArray(value)) value.forEach((item, i) => walk(item, key, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k, `${path}.${k}`, visit);
}

let session: Session;
const results: [string, unknown][] = [];

beforeAll(async () => {
  session = await openSession({ source: 'demo' });
  const read = session.read;
  const { result } = await checks.classify(read, { hours: 24 });
  // One worker of every pattern the demo fleet shows.
  const examples = [...new Map(result.workers.map((c) => [c.pattern, c.id])).values()];
  results.push(['classify', { ...result, workers: result.workers.map(classificationDocument) }]);
  for (const id of examples) {
    results.push(
      [`status ${id}`, await checks.status(read, id)],
      [`logs ${id}`, await checks.logs(read, id)],
      [`tasks ${id}`, await checks.tasks(read, id)],
      [`heartbeats ${id}`, await checks.heartbeats(read, id)],
      [`model-switch ${id}`, await checks.modelSwitchCheck(read, id)],
      [`check ${id}`, await checks.quick(read, id)],
      [`memory ${id}`, await checks.memory(read, id)],
      [`cadence ${id}`, await checks.cadence(read, id)],
      [`why-killed ${id}`, await checks.whyKilledCheck(read, id)],
      [`timeline ${id}`, await checks.timeline(read, id)],
      [`investigation ${id}`, investigationDocument((await checks.investigation(read, id)).investigation)],
    );
  }
  results.push(
    ['active', await checks.active(read)],
    ['recent', await checks.recent(read)],
    ['stale', await checks.stale(read)],
    ['failed', await checks.failed(read)],
    ['orphans', await checks.orphans(read)],
    ['model-load-crashes', await checks.modelLoadCrashesCheck(read)],
    ['report', await checks.report(read)],
    ['crash-timing', await checks.crashTimingCheck(read)],
    ['health', await checks.health(read)],
    ['errors', await checks.errors(read)],
  );
  // Issue 11: the journeys of the tasks the dead example workers held, and every kill's verdict.
  const heldTasks = (await Promise.all(examples.map((id) => checks.tasks(read, id)))).flatMap((t) => t.tasks.slice(-2).map((task) => task.id));
  for (const id of heldTasks) results.push([`task ${id}`, await checks.taskJourneyCheck(read, id)]);
  const killed = result.workers.filter((c) => c.orchestrator !== null).map((c) => c.id);
  for (const id of killed) results.push([`why-killed ${id}`, await checks.whyKilledCheck(read, id)]);
});

describe('instants in results', () => {
  it('every number under an instant key is an instant, and every instant is under an instant key', () => {
    const wrong: string[] = [];
    let instants = 0;
    for (const [name, result] of results) {
      walk(result, '', name, (key, path, value) => {
        const isInstant = Number.isSafeInteger(value) && value > INSTANT_FLOOR;
        if (INSTANT_KEY.test(key)) {
          if (!isInstant) wrong.push(`${path} = ${value}: under an instant key but not an instant`);
          else instants++;
        } else if (Math.abs(value) > INSTANT_FLOOR) {
          wrong.push(`${path} = ${value}: looks like an instant under a key the JSON edge does not convert`);
        }
      });
    }
    expect(wrong).toEqual([]);
    expect(instants).toBeGreaterThan(500);
  });

  it('the JSON edge prints each of them as ISO-8601 UTC and leaves other numbers alone', () => {
    for (const [name, result] of results) {
      walk(jsonDocument(result), '', name, (key, path, value) => {
        expect(INSTANT_KEY.test(key), `${path} = ${value}`).toBe(false);
      });
    }
    const doc = jsonDocument({ died_at: 1_760_706_190_000_000, crash_after_s: 190, nested: [{ at: 1_760_706_190_000_123 }] }) as Record<string, any>;
    expect(doc).toEqual({ died_at: '2025-10-17T13:03:10.000Z', crash_after_s: 190, nested: [{ at: '2025-10-17T13:03:10.000123Z' }] });
    expect(parseInstant(doc['nested'][0].at)).toBe(1_760_706_190_000_123);
  });
});
