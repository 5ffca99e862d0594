/** The installed entry point, as a user runs it: a real process, output through a pipe. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { runCli } from '../support/cli.js';

const BIN = path.join(packageRoot(), 'bin', 'worker-forensics.js');

function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bin/worker-forensics.js', () => {
  it('writes every byte of a large output into a pipe (well over the 64 KiB pipe buffer)', async () => {
    const workers = (await runCli(['classify', '--json', '--source', 'demo'])).json().workers as { id: string }[];
    // The demo worker with the most log lines.
    let biggest = { id: '', bytes: 0 };
    for (const { id } of workers.slice(0, 60)) {
      const bytes = (await runCli(['logs', id, '--json', '--source', 'demo'])).stdout.length;
      if (bytes > biggest.bytes) biggest = { id, bytes };
    }
    const run = await runBin(['logs', biggest.id, '--json', '--source', 'demo']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(256 * 1024);
    expect(JSON.parse(run.stdout).total).toBeGreaterThan(1000);
  });

  it('exits with the code main returns', async () => {
    const run = await runBin(['status', 'gpu-20990101_000000-00000000', '--source', 'demo']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
  });
});
