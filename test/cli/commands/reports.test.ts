/** `reports`: its printer over a fixed result (the notebooks it renders are run by the notebook tests). */
import { describe, expect, it } from 'vitest';
import { printReports, type ReportsResult } from '../../../src/cli/commands/reports.js';
import { CRASH_PATTERN_TITLES } from '../../../src/present/crash-patterns.js';

const W = 'gpu-20251017_120000-00000001';
const result: ReportsResult = {
  as_of: '2025-10-17T14:00:00.000Z',
  source: 'embedded demo fleet',
  window_hours: 24,
  index: 'reports/index.html',
  reports: [
    {
      title: `${W}: ${CRASH_PATTERN_TITLES.oom_model_load}`,
      worker: W,
      ipynb: `reports/${W}.ipynb`,
      html: `reports/${W}.html`,
      md: null,
      files: [`reports/${W}.ipynb`, `reports/${W}.html`],
      static_figures: 4,
      trusted: true,
      ok: true,
      failure: null,
    },
    {
      title: 'Fleet report (§13)',
      worker: null,
      ipynb: 'reports/13-fleet-report.ipynb',
      html: null,
      md: 'reports/13-fleet-report.md',
      files: ['reports/13-fleet-report.ipynb', 'reports/13-fleet-report.md', 'reports/13-fleet-report_files/figure-1.svg'],
      static_figures: 1,
      trusted: true,
      ok: false,
      failure: { kind: 'error', cellIndex: 2, ename: 'Error', evalue: 'boom' },
    },
  ],
};

describe('printReports', () => {
  it('each report with ✅ or ❌ (a cell failed) and its page, then the index', async () => {
    const text = printReports(result);
    await expect(text.join('\n')).toMatchFileSnapshot('./output/reports-pack.txt');
    expect(text[0]).toBe('Reports for embedded demo fleet as of 2025-10-17T14:00:00.000Z:');
    expect(text[1]).toBe(`  ✅ ${W}: ${CRASH_PATTERN_TITLES.oom_model_load}\n     reports/${W}.html`);
    // Without --to html, the Markdown is the report to open.
    expect(text[2]).toBe('  ❌ Fleet report (§13)\n     reports/13-fleet-report.md');
    expect(text.at(-1)).toBe('Index: reports/index.html');
  });
});
