/** HTML text safety for every fragment: the five special characters escaped; secrets redacted first. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, safeHtml, svgDataUri, svgFromDataUri } from '../../src/present/html.js';
import { REDACTED, registerSecret } from '../../src/redact.js';

describe('escapeHtml', () => {
  it('& < > " and \' all escaped, & first (an entity in the text stays text)', () => {
    expect(escapeHtml(`<b class="x">Tom & Jerry's</b>`)).toBe('&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
    expect(escapeHtml('🔄 MODEL SWITCH: a -> b')).toBe('🔄 MODEL SWITCH: a -&gt; b');
    expect(escapeHtml('')).toBe('');
  });
});

describe('safeHtml', () => {
  it('redacts a known secret, a secret-shaped key and a password in a URL, then escapes', () => {
    registerSecret('sb_secret_html_canary_9');
    const html = safeHtml('<key sb_secret_html_canary_9> postgres://u:hunter2hunter2@db/x "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"');
    expect(html).not.toContain('sb_secret_html_canary_9');
    expect(html).not.toContain('hunter2hunter2');
    expect(html).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(html).toContain(REDACTED);
    expect(html.startsWith('&lt;key ')).toBe(true);
    expect(html).toContain('&quot;');
  });

  it('ordinary text is only escaped', () => {
    expect(safeHtml('a < b')).toBe('a &lt; b');
  });
});

describe('svgDataUri', () => {
  it('keeps the text readable, encodes what a URL or a double-quoted attribute cannot hold, and reads back', () => {
    const svg = '<svg class="main-svg"><text>50% & #1 → "ok"\n</text></svg>';
    const uri = svgDataUri(svg);
    expect(uri).toBe('data:image/svg+xml,%3Csvg%20class=%22main-svg%22%3E%3Ctext%3E50%25%20%26%20%231%20→%20%22ok%22%0A%3C/text%3E%3C/svg%3E');
    expect(uri).not.toMatch(/["<>&#\s]/);
    expect(svgFromDataUri(uri)).toBe(svg);
    expect(svgFromDataUri('data:image/png;base64,AAAA')).toBeNull();
  });
});
