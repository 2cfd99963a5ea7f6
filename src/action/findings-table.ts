import type { Finding } from '../findings/types.js';
import { cutLong, escapeMarkdown, messageMarkdown } from '../report/escape.js';
import { groupMessage } from '../report/group.js';
import { SEVERITY_ICON, SEVERITY_ORDER } from '../report/markdown.js';
import { uriPath } from '../report/sarif.js';
import type { RuleMeta } from '../rules/types.js';

/** Where a finding's line can be opened: the repository's web URL and the commit that was checked. */
export interface SourceLinks {
  /** `https://github.com/owner/repo` */
  repositoryUrl: string;
  sha: string;
  /** Makes a file relative to the checked folder relative to the repository root. */
  pathPrefix: string;
}

/** The findings of one file at one place in the list; each row may stand for several findings. */
export interface FileRows {
  file: string;
  rows: Row[];
}

export interface Row {
  markdown: string;
  ruleId: string;
  severity: Finding['severity'];
  /** How many findings the row stands for (repeats at one line collapse into one row). */
  findings: number;
}

const MAX_MESSAGE_CHARS = 1000;
const MAX_GROUP_ITEMS = 10;

/**
 * Findings grouped by file (files with the most severe finding first), a row per rule and line: the findings
 * an OU target makes once per account, at one line, are one row that says how many. The file is named once,
 * above its table, so the table keeps to four narrow columns and the message gets the width.
 */
export function fileRows(
  findings: Finding[],
  catalogue: ReadonlyMap<string, RuleMeta>,
  links: SourceLinks | undefined,
): FileRows[] {
  const sorted = [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column,
  );
  const byFile = new Map<string, Map<string, Finding[]>>();
  for (const f of sorted) {
    const rows = byFile.get(f.file) ?? new Map<string, Finding[]>();
    byFile.set(f.file, rows);
    const key = `${f.ruleId}\u0000${f.line}\u0000${f.severity}\u0000${f.group?.heading ?? ''}`;
    rows.set(key, [...(rows.get(key) ?? []), f]);
  }
  return [...byFile].map(([file, rows]) => ({
    file,
    rows: [...rows.values()].map((same) => row(same, catalogue, links)),
  }));
}

function row(same: Finding[], catalogue: ReadonlyMap<string, RuleMeta>, links: SourceLinks | undefined): Row {
  const f = same[0];
  const grouped = same.length > 1 && same.every((g) => g.group);
  const message = cutLong(groupMessage(same, MAX_GROUP_ITEMS), MAX_MESSAGE_CHARS);
  const requested =
    f.requestedSuppression === undefined
      ? ''
      : ` (suppression requested: ${escapeMarkdown(f.requestedSuppression)})`;
  const more = same.length > 1 && !grouped ? ` **× ${same.length}** at this line (the first shown)` : '';
  return {
    markdown:
      `| ${SEVERITY_ICON[f.severity]} | ${ruleLink(f.ruleId, catalogue)} | ${lineLink(f, links)} | ` +
      `${messageMarkdown(message, { table: true })}${requested}${more} |`,
    ruleId: f.ruleId,
    severity: f.severity,
    findings: same.length,
  };
}

function ruleLink(id: string, catalogue: ReadonlyMap<string, RuleMeta>): string {
  const url = catalogue.get(id)?.helpUri;
  return url && /^https:\/\//.test(url) ? `[${escapeMarkdown(id)}](${safeUrl(url)})` : escapeMarkdown(id);
}

function lineLink(f: Finding, links: SourceLinks | undefined): string {
  if (!links) return `${f.line}:${f.column}`;
  const url = `${links.repositoryUrl}/blob/${links.sha}/${uriPath(links.pathPrefix + f.file)}#L${f.line}`;
  return `[${f.line}:${f.column}](${safeUrl(url)})`;
}

/** The table of one file's rows, under the file's name. */
export function fileTable(file: string, rows: string[]): string[] {
  return [`**${escapeMarkdown(file)}**`, '', '| | Rule | Line | Message |', '|---|---|---|---|', ...rows, ''];
}

/**
 * How to fix each rule in the rows: once per rule, collapsed, instead of in every row. The text is the
 * catalogue's (built-in, or the base's team policies), escaped all the same.
 */
export function fixesSection(ruleIds: Iterable<string>, catalogue: ReadonlyMap<string, RuleMeta>): string[] {
  const fixes = [...new Set(ruleIds)].sort().flatMap((id) => {
    const rule = catalogue.get(id);
    if (!rule?.remediation?.trim()) return [];
    return [
      `- **${escapeMarkdown(id)}** ${escapeMarkdown(rule.title)}: ${messageMarkdown(oneLine(rule.remediation))}`,
    ];
  });
  if (fixes.length === 0) return [];
  return ['<details><summary>How to fix</summary>', '', ...fixes, '', '</details>', ''];
}

const oneLine = (text: string): string => text.trim().replace(/\s+/g, ' ');

/**
 * A URL from the runner or the catalogue, or built from encoded parts: nothing in it may end the link, open
 * HTML or break the line. Those characters are percent-encoded; the rest is kept as it is.
 */
export function safeUrl(url: string): string {
  return url.replace(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is encoded
    /[\s()<>"'`\\|\u0000-\u001f\u007f]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** "2026-12-02 16:58 UTC" from an ISO time (the reader's clock); anything else is no time. */
export function readTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : 'an unknown time';
}
