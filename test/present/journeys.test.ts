/** The notebook blocks of `task` and `why-killed`: severities, fields and HTML made from hand-built rows through the real analyses. */
import { describe, expect, it } from 'vitest';
import { journeySeverity, journeySummary, journeySummaryHtml, whyKilledFields, whyKilledSeverity, whyKilledSummaryHtml, whyKilledVerdict } from '../../src/present/journeys.js';
import { W1, idleKill, journeyOf, killOf, requeuedAfterCrash, staleKill } from '../support/journeys.js';
import { worker } from '../support/rows.js';

describe('task journey blocks', () => {
  it('a death that interrupted the task makes the journey bad news, each death on its own line', () => {
    const { row, lines, cases } = requeuedAfterCrash();
    const j = journeyOf(row, lines, cases);
    expect(journeySeverity(j)).toBe('bad');
    const html = journeySummaryHtml(j);
    expect(html).toContain('>dead</span>');
    expect(html).toContain(journeySummary(j).slice(0, 20));
    expect(html.match(/Interrupted by attempt 1: /g)).toHaveLength(1);
  });

  it('a journey nothing interrupted is information, with no interruption line', () => {
    const { row, lines, cases } = requeuedAfterCrash();
    const j = journeyOf(row, lines.filter((l) => l.worker_id !== W1), cases.filter((c) => c.worker.id !== W1));
    expect(j.interrupted_by).toEqual([]);
    expect(journeySeverity(j)).toBe('info');
    expect(journeySummaryHtml(j)).not.toContain('Interrupted by');
  });
});

describe('why-killed blocks', () => {
  it('suspicious is bad, consistent is ok, undecided is information', () => {
    expect(whyKilledSeverity(killOf(idleKill()))).toBe('bad');
    expect(whyKilledSeverity(killOf(staleKill()))).toBe('ok');
    expect(whyKilledSeverity(killOf({ row: worker({ id: W1 }), tasks: [], logs: [] }))).toBe('info');
  });

  it('the kill fields as the terminal lists them; none when no kill was found', () => {
    expect(whyKilledFields(killOf(idleKill()))).toEqual([
      ['killed at', expect.stringMatching(/^2025-10-17T13:00:00/)],
      ['error code', expect.any(String)],
      ['reason', expect.stringContaining('idle')],
      ['claimed', '20.0 min'],
      ['observed', '3.0 min'],
    ]);
    const none = killOf({ row: worker({ id: W1 }), tasks: [], logs: [] });
    expect(whyKilledFields(none)).toEqual([]);
    expect(whyKilledSummaryHtml(none)).not.toContain('<table');
  });

  it('the notebook block: a badge, the verdict and the fields', () => {
    const kill = killOf(idleKill());
    const html = whyKilledSummaryHtml(kill);
    expect(html).toContain('>dead</span>');
    expect(html).toContain(whyKilledVerdict(kill).slice(0, 40));
    expect(html).toMatch(/>claimed<\/th><td[^>]*>20\.0 min</);
  });
});
