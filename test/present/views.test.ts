import { describe, expect, it } from 'vitest';
import { investigateWorker } from '../../src/analyses/investigation.js';
import { registerSecret } from '../../src/redact.js';
import * as views from '../../src/present/views.js';
import { countsText } from '../../src/present/format.js';
import { at, heartbeatLine, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';
import { safeHtml } from '../../src/present/html.js';
import { VERDICT_ICONS, VERDICT_LABELS } from '../../src/present/icons.js';
import { FLEET_AS_OF, healthyWorker, neverStartedWorker, oomWorker } from '../support/crash-fleet.js';

const W = 'gpu-20251017_120000-aaaaaaaa';
const AS_OF = at('14:00:00');
const inv = investigateWorker(worker({ heartbeat: '13:03:00' }), [task({ status: 'In Progress' })], [log('12:00:00', 'Using Memory Profile 3'), log('13:00:00', '🔄 MODEL SWITCH: a -> <b>'), heartbeatLine('13:00:30')], at('14:00:00'), null, BUILT_IN_VOCABULARY);

describe('notebook views', () => {
  it('the verdict names the pattern, its criteria and the evidence, escaped', () => {
    const html = views.verdictHtml(inv);
    expect(html).toContain('OOM during model loading');
    expect(html).toContain('<code>oom_model_load</code>');
    expect(html).toContain('MODEL SWITCH: a -&gt; &lt;b&gt;');
    expect(html).not.toContain('<b>\u003c');
  });

  it('the checklist shows the ten items of §15 and the memory line with their verdicts', () => {
    const html = views.checklistHtml(inv);
    expect(html.match(/<tr>/g)).toHaveLength(11);
    // The OOM window item is bad: a "dead" badge, not an emoji.
    expect(html).toContain('>dead</span>');
    expect(views.itemHtml(inv, 'memory_profile')).toContain('Memory profile 3');
  });

  it('every view redacts secrets', () => {
    registerSecret('sb_secret_views_canary_7');
    expect(views.keyValuesHtml([['key', 'sb_secret_views_canary_7']])).not.toContain('sb_secret_views_canary_7');
    expect(views.sessionBanner('reading postgres://u:hunter2hunter2@db/x', AS_OF)).not.toContain('hunter2hunter2');
    expect(views.targetHtml({ id: W, reason: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' })).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it('counts and one-line verdicts', () => {
    expect(countsText({ a: 2, b: 0, c: 1 })).toBe('2 a, 1 c');
    expect(views.countVerdictHtml(0, 'orphaned task(s)')).toMatch(/class="wf-badge"[^>]*>ok<\/span>/);
    expect(views.countVerdictHtml(3, 'orphaned task(s)')).toMatch(/class="wf-badge"[^>]*>dead<\/span>/);
    expect(views.countVerdictHtml(3, 'orphaned task(s)', 'warn')).toMatch(/class="wf-badge"[^>]*>warning<\/span>/);
    expect(views.lastLogHtml({ last_worker_log: null, silence_s: null }, null, AS_OF)).toContain('never wrote a line');
  });
});

/** The marks the terminal prints; a browser without an emoji font draws them as empty boxes. */
const MARK_EMOJI = /[✅❌❓❔ℹ🔴💥🧪🗄]|⚠/u;

/** The HTML with every text taken from the rows removed: emoji in the workers' own lines are data and stay. */
function withoutData(html: string, logs: readonly { message: string }[]): string {
  return logs.reduce((h, l) => h.split(safeHtml(l.message)).join(''), html);
}

describe('verdict and checklist marks without an emoji font', () => {
  const fleet = [oomWorker(), healthyWorker(), neverStartedWorker()];
  const investigations = fleet.map((m) => investigateWorker(m.worker, m.tasks, m.logs, FLEET_AS_OF, null, BUILT_IN_VOCABULARY));
  const allLogs = fleet.flatMap((m) => m.logs);
  const badge = (label: string) => new RegExp(`class="wf-badge"[^>]*>${label}</span>`);

  it('every HTML view of an investigation carries badges with the labels, and no mark emoji', () => {
    const seen = new Set<string>();
    for (const inv of investigations) {
      const pages = [
        views.verdictHtml(inv),
        views.checklistHtml(inv),
        views.statusHtml(inv.status),
        ...inv.checklist.map((item) => views.itemHtml(inv, item.key)),
      ];
      for (const html of pages) {
        expect(withoutData(html, allLogs)).not.toMatch(MARK_EMOJI);
        for (const m of html.matchAll(/class="wf-badge"[^>]*>([^<]*)<\/span>/g)) seen.add(m[1]!);
      }
      // One badge per checklist row, naming the row's verdict.
      const rows = views.checklistHtml(inv).split('<tr>').slice(1);
      expect(rows).toHaveLength(inv.checklist.length);
      rows.forEach((row, i) => expect(row).toMatch(badge(VERDICT_LABELS[inv.checklist[i]!.verdict])));
    }
    // The crash, the healthy worker and the one never started between them use all four words.
    expect([...seen]).toEqual(expect.arrayContaining(['dead', 'warning', 'ok', 'info']));
  });

  it('the verdict heading leads with its badge and sets its own line-height, so a wrapped title is not clipped', () => {
    const [oom, healthy] = investigations;
    expect(views.verdictHtml(oom!)).toMatch(/<h3 style="[^"]*line-height:1\.\d+[^"]*">\s*<span class="wf-badge"[^>]*>dead<\/span>/);
    expect(views.verdictHtml(healthy!)).toMatch(/<h3[^>]*>\s*<span class="wf-badge"[^>]*>ok<\/span>/);
  });

  it('criteria, the heartbeat band and the source banner are badges too', () => {
    const oom = investigations[0]!;
    expect(views.verdictHtml(oom)).toMatch(badge('met'));
    expect(views.statusHtml(oom.status)).toMatch(badge('dead'));
    expect(views.statusHtml(investigations[1]!.status)).toMatch(badge('alive'));
    const banner = views.sessionBanner('worker-forensics: reading the demo fleet (simulated)', AS_OF);
    expect(banner).toMatch(badge('demo'));
    expect(banner).not.toMatch(MARK_EMOJI);
  });

  it("emoji in the worker's own lines stay: they are data", () => {
    expect(views.verdictHtml(investigations[0]!)).toContain('🔄 MODEL SWITCH');
  });

  it('the terminal keeps its icons', () => {
    expect(VERDICT_ICONS.bad).toBe('❌');
  });
});
