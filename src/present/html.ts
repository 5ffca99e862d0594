/** HTML text safety, shared by every HTML fragment (views, frames, figures, the reports index). */
import { redact } from '../redact.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text from the data, fit for HTML: secrets redacted, then escaped. */
export function safeHtml(text: string): string {
  return escapeHtml(redact(text));
}

/**
 * An SVG document as a `data:` URI for an <img src="…"> (double-quoted): the text kept readable,
 * only what a URL or the attribute cannot hold percent-encoded. Not base64: base64 would hide the
 * text from the secret checks and could spell, by chance, a fragment that looks like a key.
 */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml,${svg.replace(/[%#"&<>\s]/g, (c) => (c === ' ' ? '%20' : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`))}`;
}

/** The SVG document inside a URI made by svgDataUri; null for anything else. */
export function svgFromDataUri(uri: string): string | null {
  const prefix = 'data:image/svg+xml,';
  return uri.startsWith(prefix) ? decodeURIComponent(uri.slice(prefix.length)) : null;
}
