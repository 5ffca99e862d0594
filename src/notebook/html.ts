/**
 * Post-processing of nbconvert's HTML so that a report opens on any machine, offline. Debian's
 * nbconvert points `<script src>`s at file:///usr/share/javascript/… (require.js, MathJax), which
 * exist only where those packages are installed; a browser elsewhere logs a load error for each.
 * A report's own scripts (plotly.js and its `Plotly.newPlot` calls) are inline and stay.
 */

const FILE_SCRIPT = /<script\b[^>]*?\bsrc\s*=\s*(["'])\s*file:[^"']*\1[^>]*>[\s\S]*?<\/script\s*>/gi;
const FILE_LINK = /<link\b[^>]*?\bhref\s*=\s*(["'])\s*file:[^"']*\1[^>]*>/gi;

/** Removes every `<script src="file:…">…</script>` and `<link href="file:…">`. */
export function removeLocalFileReferences(html: string): string {
  return html.replace(FILE_SCRIPT, '').replace(FILE_LINK, '');
}
