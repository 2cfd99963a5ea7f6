import type { Report } from '../findings/report.js';
import type { Severity } from '../findings/types.js';
import { escapeMarkdown } from './escape.js';
import { plural } from './text.js';

/** How every Markdown report marks and orders severities: the most severe first. */
export const SEVERITY_ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', notice: '🔵' };
export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** A Markdown report: a count line and a table of findings, most severe first; every value escaped. */
export function renderMarkdown(report: Report): string {
  const { error, warning, notice, suppressed } = report.summary;
  const lines = [
    '## idc-guard',
    '',
    `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}${suppressed ? `, ${suppressed} suppressed` : ''} in ${plural(report.stats.files, 'file')}.`,
    '',
  ];
  const shown = report.findings.filter((f) => !f.suppressed);
  if (shown.length > 0) {
    lines.push('| | Rule | Location | Message |', '|---|---|---|---|');
    for (const f of [...shown].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])) {
      lines.push(
        `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${f.ruleId} | ${escapeMarkdown(f.file)}:${f.line}:${f.column} | ${escapeMarkdown(f.message)} |`,
      );
    }
    lines.push('');
  }
  if (report.errors.length > 0) {
    lines.push('**Tool errors** (the check is incomplete):', '');
    for (const e of report.errors) lines.push(`- ${escapeMarkdown(e.message)}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
