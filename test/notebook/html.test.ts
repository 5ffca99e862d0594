import { describe, expect, it } from 'vitest';
import { removeLocalFileReferences } from '../../src/notebook/html.js';

// The head Debian's nbconvert 6.5 'lab' template writes (require.js and MathJax from
// /usr/share/javascript), followed by a cell output carrying an inline plotly.js figure.
const NBCONVERT_HEAD = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8" />
<title>report</title><script src="file:///usr/share/javascript/requirejs/require.min.js"></script>
<link rel="stylesheet" href="file:///usr/share/javascript/jquery-ui/themes/base/jquery-ui.min.css">
<style type="text/css">pre { line-height: 125%; }</style>
<!-- Load mathjax -->
    <script src="file:///usr/share/javascript/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"> </script>
    <!-- MathJax configuration -->
    <script type="text/x-mathjax-config">
    init_mathjax = function() { if (window.MathJax) { MathJax.Hub.Queue(["Typeset", MathJax.Hub]); } }
    init_mathjax();
    </script>
<SCRIPT type='text/javascript' SRC='file:/opt/legacy.js'
></SCRIPT>
</head>`;
const PLOT_OUTPUT = `<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output" data-mime-type="text/html">
<script>/* plotly.js v4 */ window.Plotly = { newPlot: function () {} };</script><div id="timeline"></div>
<script>Plotly.newPlot("timeline", [{"type":"scatter","x":[1,2],"y":[3,4]}]);</script>
<link rel="stylesheet" href="https://example.org/kept.css">
</div>`;

describe('removeLocalFileReferences', () => {
  const cleaned = removeLocalFileReferences(`${NBCONVERT_HEAD}\n<body>${PLOT_OUTPUT}</body></html>`);

  it('drops every script and stylesheet loaded from a file: URL', () => {
    expect(cleaned).not.toMatch(/file:/i);
    expect(cleaned).not.toContain('require.min.js');
    expect(cleaned).not.toContain('MathJax.js');
    expect(cleaned).not.toContain('jquery-ui');
    expect(cleaned).not.toMatch(/<script[^>]*\bsrc=/i);
  });

  it('keeps inline scripts, styles and the rest of the page as they were', () => {
    expect(cleaned).toContain(PLOT_OUTPUT);
    expect(cleaned).toContain('<script type="text/x-mathjax-config">');
    expect(cleaned).toContain('<style type="text/css">pre { line-height: 125%; }</style>');
    expect(cleaned).toContain('<title>report</title>');
    expect(cleaned.match(/<script\b/gi)).toHaveLength(3);
  });

  it('changes nothing in a page without file: references', () => {
    const page = `<html><head></head><body>${PLOT_OUTPUT}<pre>&lt;script src="file:///x.js"&gt;&lt;/script&gt;</pre></body></html>`;
    expect(removeLocalFileReferences(page)).toBe(page);
  });
});
