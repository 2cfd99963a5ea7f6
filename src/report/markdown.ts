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
    `${plural(error, 'error')}, ${plural(warning, 'warning')}, ` +
      `${plural(notice, 'notice')}${suppressed ? `, ${suppressed} suppressed` : ''} in ` +
      `${plural(report.stats.files, 'file')}.`,
    '',
  ];
  const shown = report.findings.filter((f) => !f.suppressed);
  if (shown.length > 0) {
    lines.push('| | Rule | Location | Message |', '|---|---|---|---|');
    for (const f of [...shown].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])) {
      lines.push(
        `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${f.ruleId} | ` +
          `${escapeMarkdown(f.file)}:${f.line}:${f.column} | ${escapeMarkdown(f.message)} |`,
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

const ADDED_STATUS = {
  accepted: '✅ accepted',
  requested: '⏳ suppression requested',
  refused: '⛔ not applied',
} as const;

/**
 * The inline suppressions a pull request adds, each with its rule, location and reason, never cut: a reviewer
 * must see every finding the PR asks to silence. Empty when there are none or it is no pull request.
 */
export function addedSuppressionsSection(report: Report, pathPrefix = ''): string[] {
  const added = report.addedSuppressions;
  if (!added || added.items.length === 0) return [];
  const label = escapeMarkdown(added.acceptLabel);
  const how =
    added.mode === 'allow'
      ? 'The base configuration allows them (`suppressions: allow`).'
      : added.mode === 'base-only'
        ? 'The base configuration applies only suppressions the base branch already has (`suppressions: ' +
          'base-only`): these findings count.'
        : `They apply only on the run that adding the label **${label}** starts, which needs triage ` +
          `rights; until then, and again after new commits (remove and re-add the label), their findings ` +
          `count.`;
  return [
    `### Suppressions this pull request adds (${added.items.length})`,
    '',
    how,
    '',
    ...added.items.map(
      (s) =>
        `- ${ADDED_STATUS[s.status]}: ${s.ruleIds.map(escapeMarkdown).join(', ')} at ` +
        `${escapeMarkdown(pathPrefix + s.file)}:${s.line}, reason: “${escapeMarkdown(s.reason)}”`,
    ),
    '',
  ];
}
