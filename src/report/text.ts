import { summarize, type Report } from '../findings/report.js';
import { decidesVerdict, type Severity } from '../findings/types.js';
import { escapeText, safeLogLine } from './escape.js';

export interface TextOptions {
  color: boolean;
}

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
  for (const f of shown) {
    if (f.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      currentFile = f.file;
      lines.push(paint('bold', safeLogLine(f.file)));
    }
    const position = `${f.line}:${f.column}`.padEnd(8);
    const requested =
      (f.requestedSuppression === undefined ? '' : ` (suppression requested: ${f.requestedSuppression})`) +
      (f.scope && f.scope !== 'introduced' ? ` [${SCOPE_TAG[f.scope]}]` : '');
    lines.push(
      `  ${paint('dim', position)} ${paint(f.severity, f.severity.padEnd(7))} ${f.ruleId.padEnd(7)} ` +
        `${escapeText(f.message + requested)}`,
    );
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
