/**
 * The index page of `reports`: one table row per investigated worker (verdict, confidence, time of
 * death, switch → death, links to its files) and the fleet figures as thumbnails (their static
 * SVG pictures, inline as data: URIs, each linking to its report). One self-contained file: no
 * script, no network or file:// asset.
 */
import type { Classification } from '../analyses/crash-patterns.js';
import { CONFIDENCE_MEANINGS, CRASH_PATTERN_TITLES } from './crash-patterns.js';
import { formatDuration, instantText } from './format.js';
import { escapeHtml, safeHtml, svgDataUri } from './html.js';

/** A rendered report's files, as links relative to the index page (null: not written). */
export interface IndexLinks {
  html: string | null;
  ipynb: string | null;
  md: string | null;
}

export interface IndexWorkerRow {
  classification: Pick<Classification, 'id' | 'pattern' | 'confidence' | 'died_at' | 'crash_after_switch_s'>;
  links: IndexLinks;
  /** Every cell of its notebook ran. */
  ok: boolean;
}

export interface IndexReport {
  title: string;
  links: IndexLinks;
  ok: boolean;
  /** Its figures' static pictures (SVG documents) with their titles. */
  thumbnails: { title: string; svg: string }[];
}

export interface IndexPage {
  source: string;
  asOf: string;
  windowHours: number;
  workers: IndexWorkerRow[];
  fleet: IndexReport[];
}

const FILE_LABELS: readonly [keyof IndexLinks, string][] = [
  ['html', 'page'],
  ['ipynb', 'notebook'],
  ['md', 'Markdown'],
];

function linksHtml(links: IndexLinks): string {
  const shown = FILE_LABELS.filter(([key]) => links[key] !== null).map(([key, label]) => `<a href="${escapeHtml(encodeURI(links[key]!))}">${label}</a>`);
  return shown.length === 0 ? '–' : shown.join(' · ');
}

function failedNote(ok: boolean): string {
  return ok ? '' : ' <span class="wf-failed">(a cell failed: see the report)</span>';
}

/** The first link a title should point to: the page, else the Markdown, else the notebook. */
function mainLink(links: IndexLinks): string | null {
  return links.html ?? links.md ?? links.ipynb;
}

const STYLE = `
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid #ddd; }
th { background: #f4f4f4; }
td.num { white-space: nowrap; }
.wf-failed { color: #b00020; font-weight: bold; }
.wf-thumbs { display: flex; flex-wrap: wrap; gap: 16px; }
.wf-thumb { width: 320px; margin: 0; }
.wf-thumb img { width: 320px; border: 1px solid #ddd; background: #fff; }
.wf-thumb figcaption { font-size: 12px; color: #555; }
`;

/** The whole index page. */
export function reportsIndexHtml(page: IndexPage): string {
  const rows = page.workers.map(({ classification: c, links, ok }) => {
    const main = mainLink(links);
    const worker = main === null ? safeHtml(c.id) : `<a href="${escapeHtml(encodeURI(main))}">${safeHtml(c.id)}</a>`;
    const confidence = c.confidence === null ? '–' : `<span title="${escapeHtml(CONFIDENCE_MEANINGS[c.confidence])}">${escapeHtml(c.confidence)}</span>`;
    return (
      `<tr><td>${worker}${failedNote(ok)}</td>` +
      `<td>${escapeHtml(CRASH_PATTERN_TITLES[c.pattern])}<br><code>${escapeHtml(c.pattern)}</code></td>` +
      `<td>${confidence}</td>` +
      `<td class="num">${escapeHtml(instantText(c.died_at))}</td>` +
      `<td class="num">${escapeHtml(formatDuration(c.crash_after_switch_s))}</td>` +
      `<td>${linksHtml(links)}</td></tr>`
    );
  });
  const workers =
    rows.length === 0
      ? '<p>No worker died in this window.</p>'
      : '<table><thead><tr><th>worker</th><th>verdict</th><th>confidence</th><th>time of death (last DB heartbeat)</th>' +
        `<th>MODEL SWITCH → death</th><th>report</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
  const fleet = page.fleet.map((report) => {
    const main = mainLink(report.links);
    const heading = main === null ? escapeHtml(report.title) : `<a href="${escapeHtml(encodeURI(main))}">${escapeHtml(report.title)}</a>`;
    const thumbs = report.thumbnails.map((t) => {
      const img = `<img src="${svgDataUri(t.svg)}" alt="${escapeHtml(t.title)}">`;
      return `<figure class="wf-thumb">${main === null ? img : `<a href="${escapeHtml(encodeURI(main))}">${img}</a>`}<figcaption>${escapeHtml(t.title)}</figcaption></figure>`;
    });
    const pictures = thumbs.length === 0 ? '<p>(No static picture of its figures: see the report.)</p>' : `<div class="wf-thumbs">${thumbs.join('')}</div>`;
    return `<h3>${heading}${failedNote(report.ok)}</h3><p>${linksHtml(report.links)}</p>${pictures}`;
  });
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>worker-forensics reports</title><style>${STYLE}</style></head>\n` +
    `<body><h1>Why did the workers die?</h1>\n` +
    `<p>${safeHtml(page.source)}, as of ${escapeHtml(page.asOf)}; workers created in the last ${escapeHtml(String(page.windowHours))} h. ` +
    `One investigation per crash pattern: its most recent example.</p>\n` +
    `<h2>Workers</h2>\n${workers}\n<h2>Fleet</h2>\n${fleet.join('\n')}\n</body></html>\n`
  );
}
