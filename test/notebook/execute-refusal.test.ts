/**
 * The last guard of renderNotebook: should redaction ever miss a secret, neither file is written.
 * Redaction is switched off here (it catches every shape findSecrets knows) to reach that guard;
 * the notebook is executed for real, so Jupyter and tslab are needed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderNotebook } from '../../src/notebook/execute.js';
import { fixtureNotebook, requireJupyter } from '../support/notebooks.js';

vi.mock('../../src/redact.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/redact.js')>()),
  redact: (text: string) => text,
  redactDeep: <T>(value: T) => value,
}));

const outDir = mkdtempSync(path.join(tmpdir(), 'wf-refusal-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('renderNotebook with a secret left in its output', { timeout: 120_000 }, () => {
  beforeAll(requireJupyter, 60_000);

  it('writes neither file and says why', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const env = { ...process.env, WORKER_FORENSICS_TEST_CANARY: jwt };
    await expect(renderNotebook({ notebook: fixtureNotebook('prints-env.ipynb'), parameters: {}, outDir, name: 'leak', env })).rejects.toThrow(
      `refusing to write ${path.join(outDir, 'leak.ipynb')} and ${path.join(outDir, 'leak.html')}: after redaction they still contain a JWT-shaped token`,
    );
    expect(existsSync(path.join(outDir, 'leak.ipynb'))).toBe(false);
    expect(existsSync(path.join(outDir, 'leak.html'))).toBe(false);
  });
});
