/** The words of `errors`: templates as table rows, the §10 list with templates, the summary line. */
import { describe, expect, it } from 'vitest';
import { errorTemplates } from '../../src/analyses/error-templates.js';
import { failedTasks } from '../../src/analyses/failed-tasks.js';
import { errorTemplatesSummaryHtml, failedTaskTemplateRows, templateRows } from '../../src/present/error-templates.js';
import { registerSecret } from '../../src/redact.js';
import { at, task } from '../support/rows.js';

const failed = (id: string, error: string) => ({ ...task({ id, status: 'Failed', error }), updated_at: at('13:00:00') });

describe('error template views', () => {
  it('a template row holds the counts of workers and tasks, not their ids', () => {
    const r = errorTemplates([failed('t1', 'Generation timed out after 1200s'), failed('t2', 'Generation timed out after 600s')], []);
    expect(templateRows(r.templates)).toEqual([
      {
        count: 2,
        kind: 'timeout',
        template: 'Generation timed out after <duration>',
        workers: 1,
        tasks: 2,
        first_at: at('13:00:00'),
        last_at: at('13:00:00'),
        sample: 'Generation timed out after 600s',
      },
    ]);
  });

  it('§10 rows carry the template in place of the raw message, secrets redacted before masking', () => {
    registerSecret('sb_secret_template_canary_42');
    const list = failedTasks([failed('t1', 'key sb_secret_template_canary_42 refused after 3 retries'), { ...task({ id: 't2', status: 'Failed', error: null }), updated_at: null }]);
    const rows = failedTaskTemplateRows(list.tasks);
    expect(rows.map((r) => r.template)).toEqual(['key [REDACTED] refused after <n> retries', null]);
    expect(rows[0]).not.toHaveProperty('error_message');
    expect(JSON.stringify(rows)).not.toContain('canary');
  });

  it('the summary line says what was read, or that nothing failed', () => {
    expect(errorTemplatesSummaryHtml(errorTemplates([], []))).toContain('No failed task and no ERROR/CRITICAL line.');
    const html = errorTemplatesSummaryHtml({ ...errorTemplates([failed('t1', 'boom 1'), failed('t2', 'boom 2')], []), from: at('12:00:00'), to: at('14:00:00') });
    expect(html).toContain('1 error template(s) over 2 occurrence(s): 2 failed task(s), 0 ERROR/CRITICAL line(s) (2025-10-17T12:00:00.000Z – 2025-10-17T14:00:00.000Z).');
  });
});
