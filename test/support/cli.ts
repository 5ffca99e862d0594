/** Runs the CLI in-process with captured output and a fixed clock. */
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { parseInstant } from '../../src/rows/time.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

export const TEST_NOW = parseInstant('2026-01-01T00:00:00Z')!;

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = '/nonexistent-cwd-for-tests'): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...env },
    cwd,
    interactive: false,
    now: () => TEST_NOW,
  };
  const code = await main(args, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
