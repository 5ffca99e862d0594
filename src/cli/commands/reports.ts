/**
 * The postmortem pack: for each crash pattern seen in the window (stalled included), the investigation of its most
 * recent example, plus the fleet report and the crash-timing comparison, rendered to HTML with an
 * index page. `npm run demo` runs it on the embedded demo fleet.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_WINDOW_HOURS } from '../../config/thresholds.js';
import * as checks from '../../checks/index.js';
import type { Classification } from '../../analyses/crash-patterns.js';
import { openFigureRenderer, type FigureRenderer } from '../../notebook/static-figures.js';
import { packageRoot } from '../../package-root.js';
import { CRASH_PATTERN_TITLES } from '../../present/crash-patterns.js';
import { instantText } from '../../present/format.js';
import { VERDICT_ICONS } from '../../present/icons.js';
import { reportsIndexHtml, type IndexLinks } from '../../present/reports-index.js';
import { redact } from '../../redact.js';
import { positiveNumberOption, type Command } from '../command.js';
import { INVESTIGATE_NOTEBOOK, OUTPUT_OPTIONS, RENDER_TIMEOUT_S, fileSafeName, planRender, runPlan, type RenderOutput } from './render.js';

const FLEET_NOTEBOOKS = [
  { file: '13-fleet-report.ipynb', title: 'Fleet report (§13)' },
  { file: 'crash-timing.ipynb', title: 'Crash timing across failed workers' },
];

export interface Entry extends RenderOutput {
  title: string;
  /** The worker investigated (null for the fleet reports). */
  worker: string | null;
}

/** A browser for every render of the pack; when there is none, each render says so and goes on. */
async function sharedFigureRenderer(env: NodeJS.ProcessEnv): Promise<FigureRenderer> {
  try {
    return await openFigureRenderer(env);
  } catch (error) {
    const unavailable = error as Error;
    return { svgs: () => Promise.reject(unavailable), close: async () => undefined };
  }
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
  details: [
    '`npm run demo` runs this on the embedded demo fleet. The index page (DIR/index.html) is a table of the workers',
    '(verdict, confidence, time of death, switch → death, links) with the fleet figures as thumbnails.',
  ],
  async run(ctx, args) {
    const { read } = ctx;
    const hours = positiveNumberOption(args, 'hours', DEFAULT_WINDOW_HOURS.crashes);
    const asOf = instantText(read.asOf);
    const examples = await checks.patternExamples(read, hours);
    // Every notebook of the pack judges at the same instant.
    const plans = [
      ...examples.map((c) => ({
        title: `${c.id}: ${CRASH_PATTERN_TITLES[c.pattern]}`,
        worker: c as Classification | null,
        plan: planRender(INVESTIGATE_NOTEBOOK, { workerId: c.id, asOf, hours }, args, ctx.io, fileSafeName(c.id)),
      })),
      ...FLEET_NOTEBOOKS.map((n) => ({
        title: n.title,
        worker: null as Classification | null,
        plan: planRender(path.join(packageRoot(), 'notebooks', n.file), { asOf, hours }, args, ctx.io, path.basename(n.file, '.ipynb')),
      })),
    ];
    const outDir = plans[0]?.plan.outDir ?? path.resolve(ctx.io.cwd, 'reports');
    const entries: Entry[] = [];
    const links = (r: RenderOutput): IndexLinks => {
      const relative = (file: string | null) => (file === null ? null : path.relative(outDir, path.resolve(ctx.io.cwd, file)));
      return { html: relative(r.html), ipynb: relative(r.ipynb), md: relative(r.md) };
    };
    const index = path.join(outDir, 'index.html');
    const figures = await sharedFigureRenderer(ctx.io.env);
    try {
      const workers = [];
      const fleet = [];
      for (const { title, worker, plan } of plans) {
        ctx.notice(`worker-forensics: rendering ${title}`);
        const { result, rendered } = await runPlan(ctx, plan, figures);
        entries.push({ title, worker: worker?.id ?? null, ...result });
        if (worker) workers.push({ classification: worker, links: links(result), ok: result.ok });
        else fleet.push({ title, links: links(result), ok: result.ok, thumbnails: rendered.figures.map((f) => ({ title: f.title, svg: f.svg })) });
      }
      writeFileSync(index, redact(reportsIndexHtml({ source: read.source.label, asOf, windowHours: hours, workers, fleet })));
    } finally {
      await figures.close();
    }
    const shown = path.relative(ctx.io.cwd, index).startsWith('..') ? index : path.relative(ctx.io.cwd, index);
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
    ...result.reports.map((e) => `  ${e.ok ? VERDICT_ICONS.ok : VERDICT_ICONS.bad} ${e.title}\n     ${e.html ?? e.md ?? e.ipynb ?? '–'}`),
    `Index: ${result.index}`,
  ];
}
