/**
 * The index page of `reports`, from classifications made by the real classifier over the hand-built
 * crash fleet: a table row per worker with what the guide asks of a postmortem list, and the fleet
 * figures as inline thumbnails; nothing fetched, nothing run.
 */
import { describe, expect, it } from 'vitest';
import { classifyWorker } from '../../src/analyses/crash-patterns.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';
import { CRASH_PATTERN_TITLES } from '../../src/present/crash-patterns.js';
import { svgFromDataUri } from '../../src/present/html.js';
import { reportsIndexHtml, type IndexPage } from '../../src/present/reports-index.js';
import { FLEET_AS_OF, caseOf, initFailureWorker, oomWorker } from '../support/crash-fleet.js';

const oom = classifyWorker(caseOf(oomWorker()), FLEET_AS_OF, BUILT_IN_VOCABULARY);
const init = classifyWorker(caseOf(initFailureWorker()), FLEET_AS_OF, BUILT_IN_VOCABULARY);
const svg = '<svg class="main-svg" xmlns="http://www.w3.org/2000/svg"><g class="trace bars"></g></svg>';

const page: IndexPage = {
  source: 'embedded demo fleet',
  asOf: '2025-10-17T14:00:00.000Z',
  windowHours: 24,
  workers: [
    { classification: oom, links: { html: `${oom.id}.html`, ipynb: `${oom.id}.ipynb`, md: null }, ok: true },
    { classification: init, links: { html: null, ipynb: `${init.id}.ipynb`, md: `${init.id}.md` }, ok: false },
  ],
  fleet: [
    { title: 'Fleet report (§13)', links: { html: '13-fleet-report.html', ipynb: null, md: null }, ok: true, thumbnails: [{ title: 'Worker states <now>', svg }] },
    { title: 'Crash timing', links: { html: 'crash-timing.html', ipynb: null, md: null }, ok: true, thumbnails: [] },
  ],
};

function rowOf(html: string, id: string): string {
  return html.split('<tr>').find((row) => row.includes(`>${id}</a>`))!;
}

describe('reportsIndexHtml', () => {
  const html = reportsIndexHtml(page);

  it('the classifier saw what the rows were built as', () => {
    expect([oom.pattern, init.pattern]).toEqual(['oom_model_load', 'init_failure']);
    expect(oom.crash_after_switch_s).toBe(180);
  });

  it('a row per worker: verdict, confidence, time of death, switch → death and links to its files', () => {
    expect(html).toContain('<th>worker</th><th>verdict</th><th>confidence</th><th>time of death (last DB heartbeat)</th><th>MODEL SWITCH → death</th><th>report</th>');
    const row = rowOf(html, oom.id);
    expect(row).toContain(`<a href="${oom.id}.html">${oom.id}</a>`);
    expect(row).toContain(CRASH_PATTERN_TITLES.oom_model_load);
    expect(row).toContain('<code>oom_model_load</code>');
    expect(row).toContain(`>${oom.confidence}</span>`);
    expect(row).toContain('<td class="num">2025-10-17T13:03:00.000Z</td>');
    expect(row).toContain('<td class="num">3.0 min</td>');
    expect(row).toContain(`<a href="${oom.id}.html">page</a> · <a href="${oom.id}.ipynb">notebook</a></td>`);
    expect(row).not.toContain('a cell failed');
  });

  it('a worker without a switch shows –, a failed render says so, and links go to what was written', () => {
    const row = rowOf(html, init.id);
    expect(init.crash_after_switch_s).toBeNull();
    expect(row).toContain('<td class="num">–</td>');
    expect(row).toContain('(a cell failed: see the report)');
    // No page: the worker's name links to the Markdown.
    expect(row).toContain(`<a href="${init.id}.md">${init.id}</a>`);
    expect(row).toContain(`<a href="${init.id}.ipynb">notebook</a> · <a href="${init.id}.md">Markdown</a>`);
  });

  it('the fleet figures as thumbnails: their SVG inline, linking to the report', () => {
    const thumb = /<figure class="wf-thumb"><a href="13-fleet-report.html"><img src="(data:image\/svg\+xml,[^"]+)" alt="Worker states &lt;now&gt;"><\/a><figcaption>Worker states &lt;now&gt;<\/figcaption><\/figure>/.exec(html);
    expect(thumb).not.toBeNull();
    expect(svgFromDataUri(thumb![1]!)).toBe(svg);
    // Readable text, not base64: the secret checks read it.
    expect(thumb![1]).toContain('%3Csvg%20class=%22main-svg%22');
    expect(html).toContain('<p>(No static picture of its figures: see the report.)</p>');
  });

  it('holds no script and no network or file:// asset', () => {
    expect(html).not.toMatch(/<script|<link|src="(https?|file):|href="(https?|file):|url\(/i);
  });

  it('an empty window says no worker died', () => {
    expect(reportsIndexHtml({ ...page, workers: [] })).toContain('<p>No worker died in this window.</p>');
  });
});
