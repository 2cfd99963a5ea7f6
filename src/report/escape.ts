/**
 * Escaping of untrusted text (file contents, file names, names from AWS) for each place it is shown.
 * Reporters call these on every value they did not write themselves.
 */

// C0 and C1 controls, bidirectional overrides and isolates, zero-width characters, line/paragraph separators.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

function visible(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return `\\u{${ch.codePointAt(0)!.toString(16).padStart(4, '0')}}`;
}

/** Every invisible or control character shown as an escape, so the text stays on one line and shows what it is. */
export function visibleText(value: string): string {
  return value.replace(INVISIBLE, visible);
}

/**
 * For terminals and CI logs: visible, on one line, and with no legacy workflow command inside. The runner runs
 * `##[name]data` ANYWHERE in a line that is not a `::` command (actions/runner ActionCommand.TryParse), so a group
 * named `x ##[set-output name=a;]b` would set an output: every `##[` is broken into `##\[`.
 */
export function escapeText(value: string): string {
  return visibleText(value).replace(/##\[/g, '##\\[');
}

/** For a whole log line: also keeps a line from starting like a `::` workflow command (`::set-output`, `::error`). */
export function safeLogLine(line: string): string {
  const escaped = escapeText(line);
  return /^\s*::/.test(escaped) ? escaped.replace(/^(\s*):/, '$1\\:') : escaped;
}

// Characters that start formatting, HTML, links, tables or entities in GitHub Markdown.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~&]/g;
const HTML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * For Markdown (PR comments, job summaries, issues): no HTML, no formatting, no table breaks, and no
 * `@mention` or `#123` reference that would notify someone or link an issue (a zero-width space breaks them).
 */
export function escapeMarkdown(value: string): string {
  return visibleText(value)
    .replace(MARKDOWN_SPECIAL, (ch) => HTML_ENTITY[ch] ?? `\\${ch}`)
    .replace(/#(?=\w)/g, '#&#8203;')
    .replace(/@/g, '@&#8203;');
}

/** For a Markdown code span: the text shown literally, with a fence longer than any backtick run inside. */
export function markdownCode(value: string): string {
  const text = visibleText(value).replace(/\|/g, '¦');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
