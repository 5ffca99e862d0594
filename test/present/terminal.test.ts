/** Plain-text rendering for the terminal: display widths, cut cells, aligned tables, key/value blocks. */
import { describe, expect, it } from 'vitest';
import { cell, displayWidth, heading, keyValues, table, truncate } from '../../src/present/terminal.js';
import { registerSecret } from '../../src/redact.js';

describe('displayWidth', () => {
  it('emoji take two cells; variation selectors and combining marks none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('✅')).toBe(2);
    expect(displayWidth('❌ dead')).toBe(7);
    expect(displayWidth('⚠️')).toBe(2);
    expect(displayWidth('🔄')).toBe(2);
    expect(displayWidth('é')).toBe(1);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('')).toBe(0);
  });
});

describe('truncate', () => {
  it('one line, at most `max` cells, the last an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('line one\n  line two', 40)).toBe('line one ⏎ line two');
    expect(displayWidth(truncate('✅✅✅✅✅', 5))).toBeLessThanOrEqual(5);
  });

  it('redacts before it cuts, so no half of a secret is left', () => {
    registerSecret('sb_secret_terminal_canary_77');
    const out = truncate('key=sb_secret_terminal_canary_77 and more text after it', 20);
    expect(out).not.toContain('sb_secret_terminal');
    expect(out.startsWith('key=[REDACTED]')).toBe(true);
  });
});

describe('cell', () => {
  it('none → –; numbers and text as they are', () => {
    expect(cell(null)).toBe('–');
    expect(cell(undefined)).toBe('–');
    expect(cell(0)).toBe('0');
    expect(cell('x')).toBe('x');
  });
});

describe('table', () => {
  it('a header, a rule and the rows, columns aligned by display width, right-aligned where asked', () => {
    const rows = [
      { id: 'w-1', state: '✅ alive', age: 5 },
      { id: 'w-22', state: '❌ dead', age: 1200 },
    ];
    const lines = table(rows, [
      { header: 'Worker', value: (r) => r.id },
      { header: 'Band', value: (r) => r.state },
      { header: 'Age', value: (r) => r.age, align: 'right' },
    ]);
    // Widths: Worker 6, Band 8 (`✅ alive`: an emoji is two cells), Age 4.
    expect(lines).toEqual(['  Worker  Band       Age', '  ──────  ────────  ────', '  w-1     ✅ alive     5', '  w-22    ❌ dead   1200']);
  });

  it('cells cut at their column\'s max; an empty table says so', () => {
    expect(table([{ m: 'abcdefghij' }], [{ header: 'M', value: (r) => r.m, max: 4 }])[2]).toBe('  abc…');
    expect(table([], [{ header: 'M', value: () => 'x' }])).toEqual(['  (none)']);
  });
});

describe('keyValues, heading', () => {
  it('keys padded to the longest', () => {
    expect(keyValues([['Status', 'active'], ['Last DB heartbeat', null]])).toEqual(['  Status             active', '  Last DB heartbeat  –']);
  });

  it('a heading underlined to its width', () => {
    expect(heading('§7 Active workers')).toBe(`\n§7 Active workers\n${'═'.repeat(17)}`);
  });

});
