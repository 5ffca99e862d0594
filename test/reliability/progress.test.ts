/**
 * Progress on long reads: a read that takes longer than a second shows how many rows have arrived
 * on stderr when stderr is a terminal, and clears that line before the result; with --json, or when
 * stderr is not a terminal, nothing but the usual lines. The contract server answers every request
 * after a delay, so that the long-running demo worker's lines (four pages) take over a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_TEST_KEY, startPostgrestServer, type PostgrestServer } from '../../dev/postgrest-server.js';
import { AS_OF, WORKERS, demoRows, lineCount, runInteractive } from './support.js';

const DELAY_MS = 700;
const CLEAR_LINE = '\r\x1b[2K';
let server: PostgrestServer;

beforeAll(async () => {
  server = await startPostgrestServer({
    rows: demoRows(),
    onRequest: () => new Promise((resolve) => setTimeout(resolve, DELAY_MS)),
  });
});

afterAll(async () => {
  await server?.close();
});

describe('progress on stderr', { timeout: 60_000 }, () => {
  it('on a terminal: rows so far and the total, cleared before the result; quiet with --json or without a terminal', async () => {
    const env = { SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: CONTRACT_TEST_KEY };
    const args = ['logs', WORKERS.longRunning, '--source', 'supabase', '--as-of', AS_OF];
    const [terminal, terminalJson, piped, pipedJson] = await Promise.all([
      runInteractive(args, env, true),
      runInteractive([...args, '--json'], env, true),
      runInteractive(args, env, false),
      runInteractive([...args, '--json'], env, false),
    ]);
    for (const run of [terminal, terminalJson, piped, pipedJson]) expect(run.code, run.stderr).toBe(0);

    const total = lineCount(WORKERS.longRunning).toLocaleString('en-US');
    const shown = terminal.stderr.split(CLEAR_LINE).filter((part) => part.startsWith('reading '));
    expect(shown.length).toBeGreaterThan(0);
    const table = '[a-z_]+ [\\d,]+(/[\\d,]+)?';
    for (const line of shown) expect(line).toMatch(new RegExp(`^reading ${table}(, ${table})* rows$`));
    expect(shown.filter((line) => new RegExp(`system_logs [\\d,]+/${total}\\b`).test(line)).length).toBeGreaterThan(0);
    expect(shown.at(-1)).toContain(`system_logs ${total}/${total}`);
    // The last write clears the progress line; the result itself is untouched.
    expect(terminal.stderr.endsWith(CLEAR_LINE)).toBe(true);
    expect(terminal.stdout).toBe(piped.stdout);
    expect(terminal.stdout).not.toContain('\x1b');

    for (const quiet of [terminalJson, piped, pipedJson]) {
      expect(quiet.stderr).not.toContain('reading system_logs');
      expect(quiet.stderr).not.toContain('\x1b');
    }
    expect(terminalJson.json()).toEqual(pipedJson.json());
  });
});
