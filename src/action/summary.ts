import type { FailOn } from '../config/config.js';
import type { Report } from '../findings/report.js';
import type { Finding } from '../findings/types.js';
import { cutLong, escapeMarkdown, messageMarkdown } from '../report/escape.js';
import { plural } from '../report/text.js';
import { driftDetected, verdictLine } from './outcome.js';
import { addedSuppressionsSection, SEVERITY_ICON, SEVERITY_ORDER } from '../report/markdown.js';
import { accessItems } from './access-section.js';
import { LIVE_SCOPE, type AccessChanges } from './comment.js';

/** GitHub rejects a step summary of 1 MiB or more, and then shows none of it. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

// A value from a file or from AWS can be huge (a 10 MB key); a longer cell is cut, so one value cannot take
// the whole summary and every finding keeps its row.
const MAX_MESSAGE_CHARS = 2000;
const MAX_PATH_CHARS = 500;
// Room for the lines that say what was cut (at most one per list), reserved before cutting.
const NOT_SHOWN_ROOM = 2048;

export interface SummaryContext {
  /** Makes a finding's file relative to the repository root. */
  pathPrefix: string;
  mode: 'check' | 'drift';
  failOn: FailOn;
  exitCode: 0 | 1 | 2;
  /** Whether SARIF was written too, to say where a cut finding can still be read. */
  sarif: boolean;
  /** On a pull request: what it grants and takes away (the same as the PR comment's first section). */
  access?: AccessChanges;
}

export interface RenderedSummary {
  markdown: string;
  /** How many entries (findings, notices, tool errors) were left out to stay under the limit. */
  cut: number;
}

type ListName = 'findings' | 'existing' | 'baseDrift' | 'pending' | 'suppressed' | 'errors' | 'notices';

/** One line of a list that can grow without bound. */
interface Entry {
  list: ListName;
  line: string;
  /** Entries with a higher rank are cut sooner. */
  cutRank: number;
}

// When the summary would be too big: accepted (suppressed) findings go first, then the tool's notices, then
// findings from the least severe up; tool errors last, as they say the check is incomplete. Notices and tool
// errors are in the step's log as well.
const CUT_RANK = {
  suppressed: 7,
  pending: 6,
  existing: 5,
  baseDrift: 5,
  notices: 4,
  notice: 3,
  warning: 2,
  error: 1,
  errors: 0,
};

/**
 * The job summary: the outcome, counts, every finding in a table (most severe first), accepted findings,
 * tool errors, notices and the AWS reads, with every value from a file or from AWS escaped. When it would
 * reach `limitBytes`, entries are cut in the order above and the summary says how many.
 */
export function renderSummary(
  report: Report,
  context: SummaryContext,
  limitBytes = SUMMARY_LIMIT_BYTES,
): RenderedSummary {
  const entries = summaryEntries(report, context.pathPrefix);
  const kept = new Set(entries);
  const render = () => compose(report, context, entries, kept);
  let markdown = render();
  if (bytes(markdown) < limitBytes) return { markdown, cut: 0 };
  // Each entry is one line, so cutting it saves exactly its size and a newline, and room is reserved for the
  // "not shown" lines: one pass over sizes is enough, where rendering after each cut would be quadratic.
  let size = bytes(markdown) + NOT_SHOWN_ROOM;
  for (const entry of inCutOrder(entries)) {
    if (size < limitBytes) break;
    kept.delete(entry);
    size -= bytes(entry.line) + 1;
  }
  markdown = render();
  return { markdown, cut: entries.length - kept.size };
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function inCutOrder(entries: Entry[]): Entry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.cutRank - a.entry.cutRank || b.index - a.index)
    .map(({ entry }) => entry);
}

function summaryEntries(report: Report, pathPrefix: string): Entry[] {
  const active = report.findings
    .filter((f) => !f.suppressed)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const entry = (list: ListName, line: string, cutRank: number): Entry => ({ list, line, cutRank });
  // On a pull request the findings table holds what the change introduces; the rest is collapsed below it.
  const listOf = (f: Finding): ListName =>
    f.scope === undefined || f.scope === 'introduced' ? 'findings' : f.scope;
  return [
    ...active.map((f) => {
      const list = listOf(f);
      const rank = list === 'findings' ? CUT_RANK[f.severity] : CUT_RANK[list];
      return entry(list, findingRow(f, pathPrefix), rank);
    }),
    ...suppressed.map((f) => entry('suppressed', suppressedRow(f, pathPrefix), CUT_RANK.suppressed)),
    ...report.errors.map((e) => entry('errors', `- ${cell(e.message)}`, CUT_RANK.errors)),
    ...report.notices.map((n) => entry('notices', `- ${cell(n.message)}`, CUT_RANK.notices)),
  ];
}

function findingRow(f: Finding, pathPrefix: string): string {
  const requested =
    f.requestedSuppression === undefined ? '' : ` (suppression requested: ${f.requestedSuppression})`;
  return (
    `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${cell(f.ruleId)} | ` +
    `${location(f, pathPrefix)} | ${messageCell(f.message)}${cell(requested)} |`
  );
}

function suppressedRow(f: Finding, pathPrefix: string): string {
  const how =
    f.suppression?.kind === 'inline'
      ? `inline${f.suppression.reason ? `: ${cell(f.suppression.reason)}` : ''}`
      : 'baseline';
  return `| ${cell(f.ruleId)} | ${location(f, pathPrefix)} | ${cell(f.message)} | ${how} |`;
}

function location(f: Finding, pathPrefix: string): string {
  return `${cell(pathPrefix + f.file, MAX_PATH_CHARS)}:${f.line}:${f.column}`;
}

/** A finding's message in a table cell: the tool's code spans kept, the rest escaped, a long one cut. */
function messageCell(message: string): string {
  return messageMarkdown(cutLong(message, MAX_MESSAGE_CHARS), { table: true });
}

/** Untrusted text for a table cell or list item: escaped, and cut when pathologically long. */
function cell(value: string, maxChars = MAX_MESSAGE_CHARS): string {
  return escapeMarkdown(cutLong(value, maxChars));
}

function compose(report: Report, context: SummaryContext, entries: Entry[], kept: Set<Entry>): string {
  const list = (name: ListName) => {
    const all = entries.filter((e) => e.list === name);
    const shown = all.filter((e) => kept.has(e)).map((e) => e.line);
    return { total: all.length, shown, cut: all.length - shown.length };
  };
  const lines = [
    '## idc-guard',
    '',
    verdictLine(report, context.failOn, context.exitCode),
    '',
    countsLine(report, context),
    '',
    ...accessSection(context.access),
    ...addedSuppressionsSection(report, context.pathPrefix),
    ...findingsSection(list('findings'), context.sarif),
    ...collapsedFindings('already on the base branch', list('existing')),
    ...collapsedFindings(
      'already drifted on the base branch (live differs from the base, before and without this change)',
      list('baseDrift'),
    ),
    ...collapsedFindings('pending: live differs from this change until it is applied', list('pending')),
    ...(report.pullRequest?.liveScope ? [LIVE_SCOPE(report.pullRequest.liveScope), ''] : []),
    ...suppressedSection(list('suppressed')),
    ...bulletSection('Tool errors', 'The check is incomplete:', list('errors')),
    ...bulletSection('Notices', undefined, list('notices')),
    ...awsReadsSection(report),
  ];
  return `${lines.join('\n')}\n`;
}

/** Most PRs change a few grants; a generated bulk change is summed up rather than listed past this. */
const MAX_ACCESS_LINES = 1000;

function accessSection(access: AccessChanges | undefined): string[] {
  if (!access) return [];
  if (!access.diff) return [];
  const lines = accessItems(access.diff).map((item) => `- ${item.markdown}`);
  if (lines.length === 0)
    return ['### Access changes', '', 'None: this change grants and takes away nothing.', ''];
  const more = lines.length - MAX_ACCESS_LINES;
  return [
    '### Access changes',
    '',
    ...lines.slice(0, MAX_ACCESS_LINES),
    ...(more > 0 ? [`- … and ${more} more`] : []),
    '',
  ];
}

function countsLine(report: Report, context: SummaryContext): string {
  const { error, warning, notice, suppressed } = report.summary;
  const counts =
    `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}` +
    `${suppressed ? `, ${suppressed} suppressed` : ''} in ${plural(report.stats.files, 'file')}`;
  return `${counts}; ${context.mode === 'drift' ? `mode \`drift\`: ${driftText(report)}` : 'mode `check`'}.`;
}

// After a tool error some live state may not have been read, so no drift found is not the same as none.
function driftText(report: Report): string {
  if (driftDetected(report, 'drift')) return '**drift found**';
  return report.errors.length > 0 ? 'no drift found, but not everything could be read' : 'no drift';
}

/** The part of a list that is shown. */
interface List {
  total: number;
  shown: string[];
  cut: number;
}

function findingsSection(list: List, sarif: boolean): string[] {
  if (list.total === 0) return [];
  const table =
    list.shown.length > 0
      ? ['| Severity | Rule | Location | Message |', '|---|---|---|---|', ...list.shown, '']
      : [];
  const cut =
    list.cut > 0
      ? [
          `_${plural(list.cut, 'finding')} of ${list.total} not shown (the least severe), ` +
            `to keep this summary under GitHub's 1 MiB limit: ` +
            `all are in the JSON report (output \`report-file\`)` +
            `${sarif ? ' and the SARIF file (output `sarif-file`)' : ''}._`,
          '',
        ]
      : [];
  return ['### Findings', '', ...table, ...cut];
}

/** Findings a reviewer may open, but that do not decide this change: collapsed, with a count. */
function collapsedFindings(what: string, list: List): string[] {
  return collapsedTable(
    `${plural(list.total, 'finding')} ${what}`,
    '| Severity | Rule | Location | Message |',
    list,
  );
}

function suppressedSection(list: List): string[] {
  return collapsedTable(
    plural(list.total, 'suppressed finding'),
    '| Rule | Location | Message | Suppressed by |',
    list,
  );
}

/** A `<details>` block holding a table of four columns, and a line when some rows were cut. */
function collapsedTable(summary: string, header: string, list: List): string[] {
  if (list.total === 0) return [];
  return [
    `<details><summary>${summary}</summary>`,
    '',
    ...(list.shown.length > 0 ? [header, '|---|---|---|---|', ...list.shown, ''] : []),
    ...notShown(list, 'the JSON report (output `report-file`)'),
    '</details>',
    '',
  ];
}

function bulletSection(title: string, intro: string | undefined, list: List): string[] {
  if (list.total === 0) return [];
  return [
    `### ${title}`,
    '',
    ...(intro ? [intro, ''] : []),
    ...list.shown,
    ...(list.shown.length ? [''] : []),
    ...notShown(list, "the step's log"),
  ];
}

function notShown(list: List, where: string): string[] {
  if (list.cut === 0) return [];
  return [`_${list.cut} more not shown, to keep this summary under GitHub's 1 MiB limit: see ${where}._`, ''];
}

function awsReadsSection(report: Report): string[] {
  const byOperation = report.stats.apiCallsByOperation;
  if (!byOperation) return [];
  const rows = Object.entries(byOperation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, calls]) => `| ${cell(operation)} | ${calls} |`);
  return [
    '### AWS reads',
    '',
    `${plural(report.stats.apiCalls, 'API call')} to Identity Center and the identity store:`,
    '',
    '| Operation | Calls |',
    '|---|---:|',
    ...rows,
    '',
  ];
}

/** The summary when no report could be made (an invalid input, an unusable configuration): the reason. */
export function renderNotRunSummary(reason: string): string {
  return `## idc-guard\n\n⚠️ **Not run**: ${cell(reason)}\n`;
}
