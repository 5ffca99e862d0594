/** HTML text safety, shared by every HTML fragment (views, frames, figures, the reports index). */
import { redact } from '../redact.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text from the data, fit for HTML: secrets redacted, then escaped. */
export function safeHtml(text: string): string {
  return escapeHtml(redact(text));
}
