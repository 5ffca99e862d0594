/**
 * A rendered notebook as Markdown, for pasting into a postmortem document or committing beside it:
 * markdown cells as they are; code cells as fenced TypeScript (none with --no-input); text outputs
 * fenced; HTML outputs (views, tables) kept as HTML blocks with no script or style element; each
 * figure as its static SVG in `<name>_files/`, linked relatively. plotly.js and every script stay
 * out: the document runs nothing.
 */
import { SVG_MIME, figureTitle } from './static-figures.js';
import { FIGURE_SPEC_CLASS, STATIC_FIGURE_CLASS } from '../present/figures/html.js';
import { svgFromDataUri } from '../present/html.js';
import type { Figure } from '../present/figures/figure.js';
import type { Notebook } from './parameters.js';

export interface MarkdownFile {
  /** Relative to the folder of the .md file. */
  path: string;
  content: string;
}

export interface MarkdownDocument {
  text: string;
  /** The figures' SVG files, under `<name>_files/`. */
  files: MarkdownFile[];
}

type Output = { output_type?: string; name?: string; text?: unknown; data?: Record<string, unknown>; ename?: string; evalue?: string; traceback?: unknown };

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

function textOf(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

/** A fence longer than any run of backticks inside `text`. */
function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/**
 * HTML output made fit for Markdown: scripts, styles, figure specs and pictures removed, and no
 * blank line inside (a blank line would end the HTML block and turn the rest into text).
 */
export function markdownHtml(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<style\b[\s\S]*?<\/style\s*>/gi, '')
    .replace(new RegExp(`<img class="${STATIC_FIGURE_CLASS}"[^>]*>`, 'g'), '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n')
    .trim();
}

/** The Markdown of `notebook` named `name` (the folder of pictures is `<name>_files/`). */
export function notebookMarkdown(notebook: Notebook, name: string, options: { noInput?: boolean } = {}): MarkdownDocument {
  const blocks: string[] = [];
  const files: MarkdownFile[] = [];
  const folder = `${name}_files`;
  const language = (notebook.metadata['kernelspec'] as { language?: string } | undefined)?.language ?? 'typescript';
  const addFigure = (svg: string, figure: Figure | null) => {
    const file = `${folder}/figure-${files.length + 1}.svg`;
    files.push({ path: file, content: svg });
    const title = figure ? figureTitle(figure) : 'figure';
    blocks.push(`![${title.replace(/[[\]\\]/g, '\\$&')}](${encodeURI(file)})`);
  };
  for (const cell of notebook.cells) {
    const source = textOf(cell.source);
    if (cell.cell_type === 'markdown') {
      if (source.trim() !== '') blocks.push(source.trim());
      continue;
    }
    if (cell.cell_type !== 'code') continue;
    if (!options.noInput && source.trim() !== '') blocks.push(fenced(source, language));
    for (const output of (cell.outputs ?? []) as Output[]) {
      if (output.output_type === 'stream') {
        const text = stripAnsi(textOf(output.text));
        if (text.trim() !== '') blocks.push(fenced(text));
      } else if (output.output_type === 'error') {
        const traceback = stripAnsi(textOf(Array.isArray(output.traceback) ? output.traceback.join('\n') : ''));
        blocks.push(fenced(traceback || `${output.ename}: ${output.evalue}`));
      } else if (output.data) {
        const data = output.data;
        const html = textOf(data['text/html']);
        if (typeof data[SVG_MIME] === 'string') {
          addFigure(data[SVG_MIME] as string, (data[PLOTLY_MIME] as Figure | undefined) ?? null);
        } else if (html !== '') {
          // An output with several figures keeps each one's picture in its <div>: take them out as files.
          for (const m of html.matchAll(new RegExp(`<img class="${STATIC_FIGURE_CLASS}" alt="([^"]*)"[^>]*src="(data:[^"]+)"`, 'g'))) {
            const svg = svgFromDataUri(m[2]!);
            if (svg !== null) addFigure(svg, { data: [], layout: { title: m[1]!.replace(/&[a-z#0-9]+;/g, ' ') } });
          }
          if (html.includes(FIGURE_SPEC_CLASS)) {
            if (!html.includes(`<img class="${STATIC_FIGURE_CLASS}"`)) blocks.push('*(A figure without its static picture: it was not drawn when this report was rendered.)*');
            continue;
          }
          const shown = markdownHtml(html);
          if (shown !== '') blocks.push(shown);
        } else if (typeof data['text/markdown'] === 'string' || Array.isArray(data['text/markdown'])) {
          blocks.push(textOf(data['text/markdown']).trim());
        } else if (data['text/plain'] !== undefined) {
          blocks.push(fenced(textOf(data['text/plain'])));
        }
      }
    }
  }
  return { text: blocks.join('\n\n') + '\n', files };
}
