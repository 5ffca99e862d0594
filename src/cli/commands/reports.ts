/**
 * The postmortem pack: for each crash pattern seen in the window, the investigation of its most
 * recent example, plus the fleet report and the crash-timing comparison, rendered to HTML with an
 * index page. `npm run demo` runs it on the embedded demo fleet.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import { packageRoot } from '../../package-root.js';
import { CRASH_PATTERN_TITLES } from '../../present/crash-patterns.js';
import { escapeHtml } from '../../present/html.js';
import { instantText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { positiveNumberOption, type Command } from '../command.js';
import { INVESTIGATE_NOTEBOOK, OUTPUT_OPTIONS, RENDER_TIMEOUT_S, fileSafeName, planRender, runPlan } from './render.js';

const FLEET_NOTEBOOKS = [
  { file: '13-fleet-report.ipynb', title: 'Fleet report (§13)' },
  { file: 'crash-timing.ipynb', title: 'Crash timing across failed workers' },
];

export interface Entry {
  title: string;
  html: string;
  ipynb: string;
  ok: boolean;
}

function indexHtml(entries: readonly Entry[], label: string, asOf: string, outDir: string): string {
  const items = entries
    .map((e) => `<li>${e.ok ? '' : '❌ '}<a href="${escapeHtml(path.relative(outDir, path.resolve(e.html)))}">${escapeHtml(e.title)}</a></li>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>worker-forensics reports</title></head>
<body style="font-family:sans-serif;max-width:900px;margin:2em auto"><h1>Why did the workers die?</h1>
<p>${escapeHtml(label)}, as of ${escapeHtml(asOf)}.</p><ul>${items}</ul></body></html>\n`;
}

export const reportsCommand: Command = {
  name: 'reports',
  section: '§15',
  summary: 'Render the investigation of one worker per crash pattern, the fleet report and the crash timings, with an index page',
  args: '',
  positionals: { min: 0, max: 0 },
  defaultTimeoutS: RENDER_TIMEOUT_S,
  options: {
    hours: { type: 'string', value: 'N', description: `workers created in the last N hours (default ${DEFAULT_WINDOW_HOURS.crashes})` },
    ...OUTPUT_OPTIONS,
  },
  details: ['`npm run demo` runs this on the embedded demo fleet.'],
  async run(ctx, args) {
    const { read } = ctx;
    const hours = positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes);
    const asOf = instantText(read.asOf);
    const examples = await checks.patternExamples(read, hours);
    // Every notebook of the pack judges at the same instant.
    const plans = [
      ...examples.map((c) => ({
        title: `${c.id}: ${CRASH_PATTERN_TITLES[c.pattern]}`,
        plan: planRender(INVESTIGATE_NOTEBOOK, { workerId: c.id, asOf, hours }, args, ctx.io, fileSafeName(c.id)),
      })),
      ...FLEET_NOTEBOOKS.map((n) => ({
        title: n.title,
        plan: planRender(path.join(packageRoot(), 'notebooks', n.file), { asOf, hours }, args, ctx.io, path.basename(n.file, '.ipynb')),
      })),
    ];
    const entries: Entry[] = [];
    for (const { title, plan } of plans) {
      ctx.notice(`worker-forensics: rendering ${title}`);
      const output = await runPlan(ctx, plan);
      entries.push({ title, ...output.result });
    }
    const outDir = plans[0]?.plan.outDir ?? path.resolve(ctx.io.cwd, 'reports');
    const index = path.join(outDir, 'index.html');
    const shown = path.relative(ctx.io.cwd, index).startsWith('..') ? index : path.relative(ctx.io.cwd, index);
    writeFileSync(index, indexHtml(entries, read.source.label, asOf, outDir));
    const result: ReportsResult = { as_of: asOf, source: read.source.label, window_hours: hours, index: shown, reports: entries };
    return { result, text: printReports(result) };
  },
};

export interface ReportsResult {
  as_of: string;
  /** The source's label, as the index page names it. */
  source: string;
  window_hours: number;
  index: string;
  reports: Entry[];
}

/** Each report rendered, marked by whether every cell ran, with its page; then the index page. */
export function printReports(result: ReportsResult): string[] {
  return [
    `Reports for ${result.source} as of ${result.as_of}:`,
    ...result.reports.map((e) => `  ${e.ok ? VERDICT_ICONS.ok : VERDICT_ICONS.bad} ${e.title}\n     ${e.html}`),
    `Index: ${result.index}`,
  ];
}
