/**
 * Markdown as GitHub renders it, for tests that read what a reviewer sees: micromark with its GFM extension
 * (CommonMark + tables, autolinks, strikethrough, task lists, as cmark-gfm), raw HTML passed through as
 * GitHub passes it before its sanitizer, then GitHub's own post-processing approximated: `@mention`, `#123`
 * and `GH-123` in text (never inside code or a link) would be linked.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export function renderGfm(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
}

// The HTML the tool writes itself; anything else in the output came from a value.
const OWN_TAGS = new Set([
  'h2',
  'h3',
  'p',
  'em',
  'strong',
  'code',
  'sub',
  'ul',
  'li',
  'a',
  'details',
  'summary',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);

/** The text a reader sees: tags gone, entities decoded. */
export function renderedText(markdown: string): string {
  return decode(renderGfm(markdown).replace(/<[^>]+>/g, ''));
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** Text outside `<code>` and `<a>`: where GitHub links mentions and references. */
function linkableText(html: string): string {
  const text = html
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<a [^>]*>[\s\S]*?<\/a>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  return decode(text);
}

/**
 * What is wrong with the rendered page, for a body that holds untrusted values: HTML the tool did not write,
 * a link to anywhere but the given prefixes, a mention or issue reference GitHub would link, math.
 */
export function renderedProblems(markdown: string, linkPrefixes: string[] = []): string[] {
  const html = renderGfm(markdown);
  const problems: string[] = [];
  for (const m of html.matchAll(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi)) {
    if (!OWN_TAGS.has(m[1].toLowerCase())) problems.push(`HTML <${m[1]}>`);
  }
  if (
    /<!--/.test(
      html.replace(/^<!-- idc-guard:[^>]*-->/, '').replace(/<!-- idc-guard:first-seen [^>]*-->/, ''),
    )
  )
    problems.push('HTML comment');
  for (const m of html.matchAll(/<a href="([^"]*)"/g)) {
    if (!linkPrefixes.some((p) => m[1].startsWith(p))) problems.push(`link to ${m[1]}`);
  }
  const text = linkableText(html);
  if (/(^|[^\w`])@[A-Za-z0-9]/.test(text)) problems.push('mention');
  if (/(^|[^\w&])#\d/.test(text) || /\bGH-\d/i.test(text)) problems.push('reference');
  // GitHub finds math delimiters in the source, before escapes and entities are read.
  if (markdown.includes('$')) problems.push('math');
  return problems;
}

/** The cells of every table row, as rendered. */
export function tableRows(markdown: string): string[][] {
  const html = renderGfm(markdown);
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => cell[1]),
  );
}
