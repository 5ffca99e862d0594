/**
 * A kernel that dies in the middle of a run (the out-of-memory killer, a segfault) is reported as
 * such: `render` exits non-zero naming the cell, and both files are still written, the saved
 * notebook opening with a note that the kernel died. (test/notebook/execute.test.ts covers a cell
 * that runs too long and a kernel that does not start.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { codeCells, fixtureNotebook, outputText, readJson, requireJupyter, sourceOf } from '../support/notebooks.js';
import { errorLines } from './support.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'wf-dead-kernel-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a kernel killed mid-run', { timeout: 120_000 }, () => {
  beforeAll(requireJupyter, 60_000);

  it('render exits 1 naming the cell; the saved notebook and page say the kernel died', async () => {
    const run = await runCli(['render', fixtureNotebook('dies.ipynb'), '--out', tmp, '--json'], { ...process.env });
    expect(run.code).toBe(1);
    const ipynb = path.join(tmp, 'dies.ipynb');
    const html = path.join(tmp, 'dies.html');
    expect(run.json()).toEqual({
      ipynb,
      html,
      md: null,
      files: [ipynb, html],
      static_figures: 0,
      trusted: true,
      ok: false,
      failure: { kind: 'kernel-died', cellIndex: 3, ename: 'DeadKernelError', evalue: expect.any(String) },
    });
    expect(errorLines(run.stderr)).toEqual([
      `worker-forensics: ${ipynb}: the kernel died while running code cell 3 (out of memory, or killed) (the saved notebook and page show where)`,
    ]);

    const nb = readJson(ipynb);
    expect(sourceOf(nb.cells[0])).toContain('This run stopped at code cell 3: the kernel died');
    const cells = codeCells(nb);
    expect(outputText(cells[1]!)).toBe('still alive\n');
    expect(cells[3]!.outputs).toEqual([]);
    expect(readFileSync(html, 'utf8')).toContain('the kernel died');
  });
});
