import type { FailOn } from '../config/config.js';
import { summarize, type Report } from '../findings/report.js';
import type { Finding } from '../findings/types.js';
import { escapeMarkdown } from '../report/escape.js';
import { plural } from '../report/text.js';
import { accessLines, type AccessDiff } from '../pull-request/access-diff.js';
import { verdictLine } from './outcome.js';
import { addedSuppressionsSection, SEVERITY_ICON, SEVERITY_ORDER } from '../report/markdown.js';

/** The hidden first line that, with its author, identifies the Action's comment on a PR. */
export const COMMENT_MARKER = '<!-- idc-guard:comment -->';

/** GitHub refuses a comment or issue body of 65,536 characters or more. */
export const COMMENT_LIMIT_CHARS = 65_536;

// Room reserved for the line saying what was cut; a long value is cut, so one cannot fill the body.
const NOT_SHOWN_ROOM = 512;
const MAX_CELL_CHARS = 1000;

/** What a PR grants and takes away (a PR check fails closed when its base cannot be read). */
export interface AccessChanges {
  diff?: AccessDiff;
}

export interface CommentInput {
  report: Report;
  /** What the change grants and takes away; undefined outside a pull request. */
  diff?: AccessDiff;
  runUrl?: string;
  marker?: string;
  /** Makes a finding's file (relative to the checked folder) relative to the repository root. */
  pathPrefix?: string;
  /** Characters the body must stay under (GitHub's limit unless a retry asks for less). */
  limit?: number;
  /** The heading under the marker. */
  title?: string;
  /** The check's verdict, said first. */
  verdict?: { failOn: FailOn; exitCode: 0 | 1 | 2 };
}

export interface RenderedComment {
  body: string;
  /** Access changes or active findings or tool errors: worth a new comment. */
  hasSomethingToSay: boolean;
  /** Lines (findings, then access changes) left out to stay under the limit. */
  cut: number;
}

/** One line that can be cut, most expendable last in `cutOrder`. */
interface Entry {
  section: 'access' | 'findings' | 'existing' | 'baseDrift';
  line: string;
  /** Entries with a higher rank are cut sooner. */
  cutRank: number;
}

/**
 * The PR comment: the marker, the access changes first, then the findings by severity, counts and a link to
 * the run. Every value from a file or from AWS is escaped (so none can ping, inject HTML, break the table or
 * spoof the marker: `<` becomes `&lt;`). Under `limit` characters: the least severe findings are cut first.
 */
export function renderComment(input: CommentInput): RenderedComment {
  const limit = input.limit ?? COMMENT_LIMIT_CHARS;
  const pathPrefix = input.pathPrefix ?? '';
  const bySeverity = input.report.findings
    .filter((f) => !f.suppressed)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  // On a pull request the table holds what the change introduces; what the base has already is collapsed,
  // and a pending change is in the access changes, not a finding.
  const active = bySeverity.filter((f) => f.scope === undefined || f.scope === 'introduced');
  const earlier = bySeverity.filter((f) => f.scope === 'existing' || f.scope === 'baseDrift');
  const changes = input.diff ? accessLines(input.diff) : [];
  const hasSomethingToSay =
    changes.length > 0 ||
    active.length > 0 ||
    input.report.errors.length > 0 ||
    (input.report.addedSuppressions?.items.length ?? 0) > 0;

  const entries: Entry[] = [
    ...changes.map((c) => access(`${c.icon} ${cell(c.text)}`, c.icon === '⚠️' ? -1 : 0)),
    ...active.map((f) => ({
      section: 'findings' as const,
      line: row(f, pathPrefix),
      cutRank: 1 + SEVERITY_ORDER[f.severity],
    })),
    ...earlier.map((f) => ({
      section: f.scope as 'existing' | 'baseDrift',
      line: row(f, pathPrefix),
      cutRank: 10 + SEVERITY_ORDER[f.severity],
    })),
  ];
  const kept = new Set(entries);
  const render = () => compose(input, active, entries, kept, hasSomethingToSay);
  let body = render();
  if (body.length < limit) return { body, hasSomethingToSay, cut: 0 };
  let size = body.length + NOT_SHOWN_ROOM;
  const order = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.cutRank - a.entry.cutRank || b.index - a.index);
  for (const { entry } of order) {
    if (size < limit) break;
    kept.delete(entry);
    size -= entry.line.length + 1;
  }
  body = render();
  // The fixed text alone is far below any limit a caller uses; this only guards against a miscount.
  if (body.length >= limit) body = `${body.slice(0, Math.max(0, limit - 2))}\n`;
  return { body, hasSomethingToSay, cut: entries.length - kept.size };
}

const access = (line: string, cutRank: number): Entry => ({ section: 'access', line: `- ${line}`, cutRank });

function row(f: Finding, pathPrefix: string): string {
  const where = `${cell(pathPrefix + f.file)}:${f.line}:${f.column}`;
  const requested =
    f.requestedSuppression === undefined ? '' : ` (suppression requested: ${f.requestedSuppression})`;
  return (
    `| ${SEVERITY_ICON[f.severity]} ${f.severity} | ${cell(f.ruleId)} | ` +
    `${where} | ${cell(f.message + requested)} |`
  );
}

/** Untrusted text for a list item or a table cell: escaped, and cut when pathologically long. */
function cell(value: string): string {
  const chars = [...value];
  return escapeMarkdown(
    chars.length > MAX_CELL_CHARS ? `${chars.slice(0, MAX_CELL_CHARS).join('')}…` : value,
  );
}

function compose(
  input: CommentInput,
  active: Finding[],
  entries: Entry[],
  kept: Set<Entry>,
  hasSomethingToSay: boolean,
): string {
  const { report } = input;
  const shown = (section: Entry['section']) => entries.filter((e) => e.section === section && kept.has(e));
  const total = (section: Entry['section']) => entries.filter((e) => e.section === section).length;
  const lines = [input.marker ?? COMMENT_MARKER, `## ${input.title ?? 'idc-guard'}`, ''];
  if (input.verdict) lines.push(verdictLine(report, input.verdict.failOn, input.verdict.exitCode), '');

  if (!hasSomethingToSay) {
    const unresolved = input.diff?.unresolvedInHead ?? 0;
    lines.push(
      !input.diff
        ? '✅ **All clear**: no findings.'
        : unresolved > 0
          ? `✅ No findings, and no change to the access that can be resolved; ` +
            `${plural(unresolved, 'assignment')} to OUs, account tags or the root ` +
            `${unresolved === 1 ? 'is' : 'are'} not resolved (no organization data), ` +
            `unchanged by this pull request.`
          : '✅ **All clear**: this change grants and removes no access, and there are no findings.',
      '',
    );
  }

  // Access changes first: what a reviewer must see before any finding.
  if (input.diff) {
    const accessLines = shown('access').map((e) => e.line);
    const cutAccess = total('access') - accessLines.length;
    if (total('access') > 0) {
      lines.push('### Access changes', '', ...accessLines, '');
      if (cutAccess > 0)
        lines.push(
          `_${plural(cutAccess, 'more access change')} not shown, ` +
            `to keep this comment under GitHub's 65,536-character limit._`,
          '',
        );
    }
  }

  lines.push(...addedSuppressionsSection(report, input.pathPrefix));

  const { error, warning, notice, suppressed } = summarize(active);
  const allSuppressed = report.summary.suppressed;
  const pending = report.findings.filter((f) => !f.suppressed && f.scope === 'pending').length;
  const incomplete = report.errors.length
    ? `; ${plural(report.errors.length, 'tool error')}: the check is incomplete`
    : '';
  const applied = pending
    ? ` ${plural(pending, 'difference')} from live state ${pending === 1 ? 'is' : 'are'} pending: ` +
      `this change applies ${pending === 1 ? 'it' : 'them'} on merge.`
    : '';
  lines.push(
    `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}` +
      `${report.pullRequest ? ' introduced by this change' : ''}` +
      `${allSuppressed || suppressed ? `, ${allSuppressed} suppressed` : ''}${incomplete}.${applied}`,
    '',
  );

  if (active.length > 0) {
    const rows = shown('findings').map((e) => e.line);
    lines.push('### Findings', '');
    if (rows.length > 0)
      lines.push('| Severity | Rule | Location | Message |', '|---|---|---|---|', ...rows, '');
    const cut = active.length - rows.length;
    if (cut > 0) {
      lines.push(
        `_${plural(cut, 'finding')} of ${active.length} not shown (the least severe), ` +
          `to keep this comment under GitHub's 65,536-character limit: ` +
          `the job summary has every finding._`,
        '',
      );
    }
  }

  const collapsed = (section: 'existing' | 'baseDrift', what: string): void => {
    const all = total(section);
    if (all === 0) return;
    const rows = shown(section).map((e) => e.line);
    lines.push(`<details><summary>${plural(all, 'finding')} ${what}</summary>`, '');
    if (rows.length > 0)
      lines.push('| Severity | Rule | Location | Message |', '|---|---|---|---|', ...rows, '');
    if (rows.length < all) lines.push(`_${all - rows.length} not shown here: the job summary has them._`, '');
    lines.push('</details>', '');
  };
  collapsed('existing', 'already on the base branch (not introduced by this change)');
  collapsed(
    'baseDrift',
    'already drifted on the base branch (live differs from the base, before and without this change)',
  );

  if (report.pullRequest?.liveScope) lines.push(LIVE_SCOPE(report.pullRequest.liveScope), '');

  lines.push(input.runUrl ? `[The workflow run](${safeUrl(input.runUrl)}) has the job summary.` : '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** How far a PR's live read looked, so that an empty base-drift section is not read as "no drift". */
export const LIVE_SCOPE = (scope: string): string =>
  `_Live state was read for what this change touches (${escapeMarkdown(scope)}): ` +
  `base drift elsewhere is not looked for here, the drift run reads everything._`;

/** The run link comes from the runner's environment; still, nothing in it may end the link or inject HTML. */
function safeUrl(url: string): string {
  return encodeURI(url).replace(/[()<>]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}
