import { describe, expect, it } from 'vitest';
import { investigateWorker } from '../../src/analyses/investigation.js';
import { registerSecret } from '../../src/redact.js';
import * as views from '../../src/present/views.js';
import { countsText } from '../../src/present/format.js';
import { at, heartbeatLine, log, task, worker } from '../support/rows.js';
import { BUILT_IN_VOCABULARY } from '../../src/config/vocabulary.js';

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
    expect(html).toContain('❌');
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
    expect(views.countVerdictHtml(0, 'orphaned task(s)')).toContain('✅');
    expect(views.countVerdictHtml(3, 'orphaned task(s)')).toContain('❌');
    expect(views.lastLogHtml({ last_worker_log: null, silence_s: null }, null, AS_OF)).toContain('never wrote a line');
  });
});
