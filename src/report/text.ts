import { summarize, type Report } from '../findings/report.js';
import { decidesVerdict, type Severity } from '../findings/types.js';
import { escapeText, safeLogLine } from './escape.js';
import { groupedFindings, groupMessage } from './group.js';

export interface TextOptions {
  color: boolean;
  /** A terminal's width: messages wrap to it, under their own start. */
  width?: number;
  /** The source line a finding points at, for an excerpt with a caret under the column (a terminal). */
  sourceLine?: (file: string, line: number) => string | undefined;
}

// The position and severity columns before a message: `  12:5     error   IDC005  `.
const MESSAGE_INDENT = 2 + 8 + 1 + 7 + 1 + 7 + 1;
const MAX_EXCERPT_CHARS = 200;
const MAX_GROUP_ITEMS = 20;

const COLORS: Record<Severity | 'dim' | 'bold', [string, string]> = {
  error: ['\u001b[31m', '\u001b[39m'],
  warning: ['\u001b[33m', '\u001b[39m'],
  notice: ['\u001b[36m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
};

/** Findings grouped by file, one line each, then a one-line summary; colour only when asked (a TTY). */
export function renderText(report: Report, options: TextOptions): string {
  const paint = (style: keyof typeof COLORS, text: string): string =>
    options.color ? `${COLORS[style][0]}${text}${COLORS[style][1]}` : text;
  const lines: string[] = [];
  let currentFile: string | undefined;
  const shown = report.findings.filter((f) => !f.suppressed);
  for (const same of groupedFindings(shown)) {
    const f = same[0];
    if (f.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      currentFile = f.file;
      lines.push(paint('bold', safeLogLine(f.file)));
    }
    const position = `${f.line}:${f.column}`.padEnd(8);
    const requested =
      (f.requestedSuppression === undefined ? '' : ` (suppression requested: ${f.requestedSuppression})`) +
      (f.scope && f.scope !== 'introduced' ? ` [${SCOPE_TAG[f.scope]}]` : '');
    const message = escapeText(groupMessage(same, MAX_GROUP_ITEMS, '`--format json`') + requested);
    lines.push(
      `  ${paint('dim', position)} ${paint(f.severity, f.severity.padEnd(7))} ${f.ruleId.padEnd(7)} ` +
        (options.width ? wrap(message, options.width - MESSAGE_INDENT, MESSAGE_INDENT) : message),
    );
    const source = options.sourceLine?.(f.file, f.line);
    if (source !== undefined) lines.push(...excerpt(source, f.line, f.column, paint));
  }
  if (shown.length > 0) lines.push('');
  const added = report.addedSuppressions;
  if (added && added.items.length > 0) {
    lines.push(
      paint('bold', `suppressions this change adds (${added.items.length}, suppressions: ${added.mode}):`),
    );
    for (const s of added.items) {
      lines.push(
        `  ${safeLogLine(`${s.file}:${s.line}`)} ${s.ruleIds.map(escapeText).join(', ')} ${s.status}: ` +
          `${escapeText(s.reason)}`,
      );
    }
    lines.push('');
  }
  for (const n of report.notices) lines.push(paint('dim', `note: ${escapeText(n.message)}`));
  for (const e of report.errors) lines.push(paint('error', `error: ${escapeText(e.message)}`));
  // On a pull request the count that matters is what decides it; the rest is counted after it.
  const pr = report.pullRequest;
  const deciding = pr
    ? summarize(report.findings.filter((f) => decidesVerdict(f, pr.failOnScope)))
    : undefined;
  const { error, warning, notice } = deciding ?? report.summary;
  const { suppressed } = report.summary;
  const total = error + warning + notice;
  const counts = `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}`;
  const others = pr ? report.findings.filter((f) => !f.suppressed).length - total : 0;
  const notCounted = others > 0 ? `, ${others} not counted (on the base, or pending)` : '';
  const scoped = pr
    ? ` ${pr.failOnScope === 'all' ? 'in the repository' : 'introduced by this change'}${notCounted}`
    : '';
  const toolErrors = report.errors.length ? `; ${plural(report.errors.length, 'tool error')}` : '';
  const tail =
    `${scoped}${suppressed > 0 ? `, ${suppressed} suppressed` : ''} in ` +
    `${plural(report.stats.files, 'file')}${toolErrors}`;
  // A run with tool errors did not check everything: it never claims a clean result.
  lines.push(
    total > 0
      ? paint('bold', `✖ ${plural(total, 'problem')} (${counts})${tail}`)
      : report.errors.length > 0
        ? paint('bold', `✖ incomplete: no problems found in what could be checked (${counts})${tail}`)
        : paint('bold', `✔ no problems (${counts})${tail}`),
  );
  return `${lines.join('\n')}\n`;
}

/** How a finding that a pull request does not introduce is marked in the terminal and the log. */
const SCOPE_TAG = {
  existing: 'already on the base',
  baseDrift: 'drift on the base, not this change',
  pending: 'pending: applied on merge',
} as const;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Words to lines of at most `width` characters, each after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  if (width < 20 || text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** The finding's line of source, and a caret under its column (the line escaped and cut when long). */
function excerpt(
  source: string,
  line: number,
  column: number,
  paint: (style: 'dim', text: string) => string,
): string[] {
  const shown = [...source].slice(0, MAX_EXCERPT_CHARS).join('');
  const text = escapeText(shown);
  // The caret goes under the column as shown: escapes before it (a tab shown as \t) move it along.
  const before = escapeText([...shown].slice(0, Math.max(0, column - 1)).join(''));
  const gutter = `${line}`.padStart(6);
  return [
    paint('dim', `${gutter} | `) + text,
    `${' '.repeat(6)} ${paint('dim', '|')} ${' '.repeat(before.length)}^`,
  ];
}
