/**
 * Escaping of untrusted text (file contents, file names, names from AWS) for each place it is shown.
 * Reporters call these on every value they did not write themselves.
 */

// Characters that show nothing, or nothing but blank space, and can hide or reorder text: C0 and C1 controls;
// every format character (Cf: bidirectional overrides and isolates, zero-width characters, the soft hyphen,
// U+061C, U+180E, the tag block U+E0001 and U+E0020-E007F, ...); line and paragraph separators; and the
// fillers that are letters to Unicode but blank on screen (Hangul U+115F, U+1160, U+3164, U+FFA0, braille
// U+2800, the combining grapheme joiner U+034F, Khmer U+17B4-U+17B5) and the unassigned rest of the tag
// block. Variation selectors are left alone: they change how a visible character looks, never hide one.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- each combining filler is matched alone
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0\u{e0000}-\u{e007f}]/gu;

function visible(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return `\\u{${ch.codePointAt(0)!.toString(16).padStart(4, '0')}}`;
}

/**
 * Every invisible or control character shown as an escape, so the text stays on one line and shows what it
 * is.
 */
export function visibleText(value: string): string {
  return value.replace(INVISIBLE, visible);
}

/**
 * For terminals and CI logs: visible, on one line, and with no legacy workflow command inside. The runner
 * runs `##[name]data` ANYWHERE in a line that is not a `::` command (actions/runner ActionCommand.TryParse),
 * so a group named `x ##[set-output name=a;]b` would set an output: every `##[` is broken into `##\[`.
 */
export function escapeText(value: string): string {
  return visibleText(value).replace(/##\[/g, '##\\[');
}

/**
 * For a whole log line: also keeps a line from starting like a `::` workflow command (`::set-output`,
 * `::error`).
 */
export function safeLogLine(line: string): string {
  const escaped = escapeText(line);
  return /^\s*::/.test(escaped) ? escaped.replace(/^(\s*):/, '$1\\:') : escaped;
}

// Characters that start formatting, HTML, links, tables, entities or math (`$`) in GitHub Markdown.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~&$#]/g;
// `$` as an entity: GitHub finds math delimiters before it reads backslash escapes, so `\$` is not enough.
const ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', $: '&#36;' };

/**
 * What GitHub links after rendering, where escapes are gone: `@mention` and `@org/team` (an `@` that no
 * letter, digit or `_` precedes), issue references (`#12`, `GH-12`, `owner/repo#12`). Such a token is shown
 * as a code span, where GitHub links nothing and what a reader copies is the text itself.
 */
const REFERENCE =
  /(?<![A-Za-z0-9_`])@[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_.-]+)?|(?:[\w.-]+\/[\w.-]+)?#\d+|\bgh-\d+/gi;

/**
 * For Markdown (PR comments, job summaries, issues): no HTML, no formatting, no table breaks, no math, no
 * link, and no reference that would notify someone or link an issue. GitHub links bare URLs and `www.`
 * domains (the GFM autolink extension) within one run of text: a backslash escape splits the run at `:` or
 * `.`, and renders as the character itself. Mentions and issue references become code spans (REFERENCE).
 */
export function escapeMarkdown(value: string): string {
  const text = visibleText(value);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(REFERENCE)) {
    out += escapeRun(text.slice(last, m.index)) + markdownCode(m[0]);
    last = m.index + m[0].length;
  }
  return out + escapeRun(text.slice(last));
}

function escapeRun(text: string): string {
  return text
    .replace(MARKDOWN_SPECIAL, (ch) => ENTITY[ch] ?? `\\${ch}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.');
}

/** A value cut to `max` characters (code points) with an ellipsis, so one huge value cannot fill a report. */
export function cutLong(value: string, max: number): string {
  if (value.length <= max) return value;
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
}

/**
 * For a Markdown code span: the text shown literally, with a fence longer than any backtick run inside. In a
 * table cell (`table`), a `|` is written `\|`, which GFM reads as a pipe inside the cell, code span or not.
 * A value with `$` or `<` is escaped text instead.
 */
export function markdownCode(value: string, options: { table?: boolean } = {}): string {
  // GitHub may read `$…$` as math even in code, and a code span cannot escape it; and `<!--` kept raw in a
  // body could plant another comment's or issue's hidden marker. Such a value is escaped text instead.
  if (/[$<]/.test(value)) return escapeMarkdown(value);
  const shown = visibleText(value);
  const text = options.table ? shown.replace(/\|/g, '\\|') : shown;
  // A loop, not Math.max(...runs): a long name can hold more runs than a call takes arguments.
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A message the tool wrote around untrusted values: the tool's own code spans (`like this`) stay code spans,
 * the rest is escaped. Whatever the values hold, each piece is either escaped text or a fenced code span, so
 * a value can at most move where a span starts, never inject.
 */
export function messageMarkdown(message: string, options: { table?: boolean } = {}): string {
  let out = '';
  let last = 0;
  for (const m of message.matchAll(/`([^`\n]+)`/g)) {
    out += escapeMarkdown(message.slice(last, m.index)) + markdownCode(m[1], options);
    last = m.index + m[0].length;
  }
  return out + escapeMarkdown(message.slice(last));
}

/** For text inside an HTML element (a `<summary>`): entities, and the value in `<code>` so nothing links. */
export function htmlCode(value: string): string {
  const text = visibleText(value).replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<code>${text}</code>`;
}
