import type { FailOn } from '../config/config.js';
import { summarize, type Report } from '../findings/report.js';
import type { Finding, Severity } from '../findings/types.js';
import { escapeMarkdown, markdownCode } from '../report/escape.js';
import { addedSuppressionsSection } from '../report/markdown.js';
import { plural } from '../report/text.js';
import type { AccessDiff } from '../pull-request/access-diff.js';
import type { RuleMeta } from '../rules/types.js';
import { accessCounts, accessItems } from './access-section.js';
import { fileRows, fileTable, fixesSection, readTime, safeUrl, type SourceLinks } from './findings-table.js';
import { failingFindings } from './outcome.js';

/** The hidden first line that, with its author, identifies the Action's comment on a PR. */
export const COMMENT_MARKER = '<!-- idc-guard:comment -->';

/** GitHub refuses a comment or issue body of 65,536 characters or more. */
export const COMMENT_LIMIT_CHARS = 65_536;

// Room reserved for the lines saying what was cut; a long value is cut, so one cannot fill the body.
const NOT_SHOWN_ROOM = 1024;

/** What a PR grants and takes away (a PR check fails closed when its base cannot be read). */
export interface AccessChanges {
  diff?: AccessDiff;
}

/** What was checked: the commit, and the live state the check read. */
export interface Checked {
  sha?: string;
  live?: { instanceArn: string; readAt: string; snapshot: boolean };
}

export interface CommentInput {
  report: Report;
  /** What the change grants and takes away; undefined outside a pull request. */
  diff?: AccessDiff;
  /** The rules, for links to their documentation and how to fix them. */
  catalogue?: ReadonlyMap<string, RuleMeta>;
  /** Where each finding's line opens; without it, lines are plain text. */
  links?: SourceLinks;
  checked?: Checked;
  runUrl?: string;
  /** Makes a suppression's file (relative to the checked folder) relative to the repository root. */
  pathPrefix?: string;
  /** Characters the body must stay under (GitHub's limit unless a retry asks for less). */
  limit?: number;
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

type Section = 'risky' | 'access' | 'findings' | 'existing' | 'baseDrift';

/** One line that can be cut; entries with a higher rank are cut sooner. */
interface Entry {
  section: Section;
  line: string;
  /** A shorter form of the line (an access line without its list of accounts), tried before cutting it. */
  short?: string;
  cutRank: number;
  /** For a findings row: its file and severity, and how many findings it stands for. */
  file?: string;
  ruleId?: string;
  severity?: Severity;
  count: number;
}

// Base findings go first, then notices, the plain access lines, the risky lines' lists of accounts, warnings
// and errors. The risky access lines themselves (privileged, single user, production, unresolved, removals)
// are cut only if nothing else is left.
const CUT_RANK = {
  existing: 20,
  baseDrift: 20,
  notice: 4,
  access: 3,
  accountLists: 2.5,
  warning: 2,
  error: 1,
  risky: 0,
};

/**
 * The PR comment. First the verdict and what was checked; then the access the change grants and removes,
 * riskiest first; then the findings it introduces, by file, each line linked at the checked commit and each
 * rule to its documentation; what the base already has, collapsed. Every value from a file or from AWS is
 * escaped. Under `limit` characters, cut in the order of CUT_RANK, saying what was cut.
 */
export function renderComment(input: CommentInput): RenderedComment {
  const limit = input.limit ?? COMMENT_LIMIT_CHARS;
  const catalogue = input.catalogue ?? new Map<string, RuleMeta>();
  const unsuppressed = input.report.findings.filter((f) => !f.suppressed);
  // On a pull request the tables hold what the change introduces; what the base has already is collapsed,
  // and a pending change is in the access changes, not a finding.
  const active = unsuppressed.filter((f) => f.scope === undefined || f.scope === 'introduced');
  const items = input.diff ? accessItems(input.diff) : [];
  const hasSomethingToSay =
    items.length > 0 ||
    active.length > 0 ||
    input.report.errors.length > 0 ||
    (input.report.addedSuppressions?.items.length ?? 0) > 0;

  const rowsOf = (section: Section, findings: Finding[], rank: (f: Severity) => number): Entry[] =>
    fileRows(findings, catalogue, input.links).flatMap(({ file, rows }) =>
      rows.map((r) => ({
        section,
        line: r.markdown,
        cutRank: rank(r.severity),
        file,
        ruleId: r.ruleId,
        severity: r.severity,
        count: r.findings,
      })),
    );
  const scoped = (scope: 'existing' | 'baseDrift') => unsuppressed.filter((f) => f.scope === scope);
  const entries: Entry[] = [
    ...items.map((item) => ({
      section: item.risky ? ('risky' as const) : ('access' as const),
      line: `- ${item.markdown}`,
      short: `- ${item.short}`,
      cutRank: item.risky ? CUT_RANK.risky : CUT_RANK.access,
      count: item.grants,
    })),
    ...rowsOf('findings', active, (severity) => CUT_RANK[severity]),
    ...rowsOf('existing', scoped('existing'), () => CUT_RANK.existing),
    ...rowsOf('baseDrift', scoped('baseDrift'), () => CUT_RANK.baseDrift),
  ];
  const kept = new Set(entries);
  const render = () => compose(input, catalogue, active, entries, kept, hasSomethingToSay);
  let body = render();
  if (body.length < limit) return { body, hasSomethingToSay, cut: 0 };
  let size = body.length + NOT_SHOWN_ROOM;
  // Each step saves room: cutting a line, or dropping a risky line's list of accounts (the line stays).
  const steps = entries.flatMap((entry, index) => [
    { entry, index, rank: entry.cutRank, shorten: false },
    ...(entry.short !== undefined && entry.short !== entry.line && entry.cutRank === CUT_RANK.risky
      ? [{ entry, index, rank: CUT_RANK.accountLists, shorten: true }]
      : []),
  ]);
  steps.sort((a, b) => b.rank - a.rank || b.index - a.index);
  for (const { entry, shorten } of steps) {
    if (size < limit) break;
    if (!kept.has(entry)) continue;
    if (shorten) {
      size -= entry.line.length - entry.short!.length;
      entry.line = entry.short!;
    } else {
      kept.delete(entry);
      size -= entry.line.length + 1;
    }
  }
  body = render();
  // The fixed text alone is far below any limit a caller uses; this only guards against a miscount.
  if (body.length >= limit) body = `${body.slice(0, Math.max(0, limit - 2))}\n`;
  return { body, hasSomethingToSay, cut: entries.length - kept.size };
}

function compose(
  input: CommentInput,
  catalogue: ReadonlyMap<string, RuleMeta>,
  active: Finding[],
  entries: Entry[],
  kept: Set<Entry>,
  hasSomethingToSay: boolean,
): string {
  const { report } = input;
  const all = (section: Section) => entries.filter((e) => e.section === section);
  const shown = (section: Section) => all(section).filter((e) => kept.has(e));
  const lines = [COMMENT_MARKER, '## idc-guard', ''];
  if (input.verdict) lines.push(verdict(report, input.verdict, input.diff), '');
  const header = checkedLine(input.checked);
  if (header) lines.push(header, '');

  if (!hasSomethingToSay) lines.push(allClear(input.diff), '');

  if (input.diff && entries.some((e) => e.section === 'risky' || e.section === 'access')) {
    lines.push('### Access this change grants and removes', '');
    lines.push('_Applied on merge unless marked otherwise; the riskiest first._', '');
    lines.push(...shown('risky').map((e) => e.line), ...shown('access').map((e) => e.line), '');
    const cut = [...all('risky'), ...all('access')].filter((e) => !kept.has(e));
    if (cut.length > 0) {
      const risky = cut.filter((e) => e.section === 'risky').length;
      lines.push(
        `_${plural(cut.length, 'more line')} (${plural(count(cut), 'grant')}) not shown` +
          `${risky ? `, ${risky} of them risky` : cut.length === 1 ? ', not a risky one' : ', none of them risky'}, ` +
          `to keep this comment under GitHub's 65,536-character limit: the job summary lists every change._`,
        '',
      );
    }
  }

  lines.push(...addedSuppressionsSection(report, input.pathPrefix));
  lines.push(countsLine(report, active), '');

  if (active.length > 0) {
    lines.push(`### ${report.pullRequest ? 'Findings this change introduces' : 'Findings'}`, '');
    lines.push(...tables(shown('findings')));
    const cut = all('findings').filter((e) => !kept.has(e));
    if (cut.length > 0) lines.push(notShownFindings(cut, active.length), '');
    lines.push(...fixesSection(new Set(shown('findings').map((e) => e.ruleId!)), catalogue));
  }

  const collapsed = (section: 'existing' | 'baseDrift', what: string): void => {
    const total = count(all(section));
    if (total === 0) return;
    const rows = shown(section);
    lines.push(`<details><summary>${plural(total, 'finding')} ${what}</summary>`, '', ...tables(rows));
    const cut = total - count(rows);
    if (cut > 0) lines.push(`_${cut} not shown here: the job summary has them._`, '');
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

const count = (entries: Entry[]): number => entries.reduce((n, e) => n + e.count, 0);

/** Rows grouped back into one table per file, in the order they were listed. */
function tables(rows: Entry[]): string[] {
  const byFile = new Map<string, string[]>();
  for (const e of rows) byFile.set(e.file!, [...(byFile.get(e.file!) ?? []), e.line]);
  return [...byFile].flatMap(([file, lines]) => fileTable(file, lines));
}

function notShownFindings(cut: Entry[], total: number): string {
  const bySeverity = (['error', 'warning', 'notice'] as const)
    .map((s) => [s, count(cut.filter((e) => e.severity === s))] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, s));
  return (
    `_${plural(count(cut), 'finding')} of ${total} not shown (${bySeverity.join(', ')}), ` +
    `to keep this comment under GitHub's 65,536-character limit: the job summary has every finding._`
  );
}

/**
 * The verdict in one line: may the change merge, and why; then what it grants. "❌ **Blocks merge**: 3 errors
 * introduced · +48 / −10 grants · 3 privileged, 1 to a single user".
 */
function verdict(
  report: Report,
  { failOn, exitCode }: NonNullable<CommentInput['verdict']>,
  diff: AccessDiff | undefined,
): string {
  const pr = report.pullRequest;
  const where = !pr ? '' : pr.failOnScope === 'all' ? ' in the repository' : ' introduced';
  let head: string;
  if (exitCode === 2) {
    head = `⚠️ **Blocks merge, incomplete**: ${plural(report.errors.length, 'tool error')}`;
  } else if (exitCode === 1) {
    const failing = summarize(failingFindings(report, failOn));
    const counts = (['error', 'warning', 'notice'] as const)
      .filter((s) => failing[s] > 0)
      .map((s) => plural(failing[s], s));
    head = `❌ **${pr ? 'Blocks merge' : 'Fails'}**: ${counts.join(', ')}${where}`;
  } else {
    head =
      failOn === 'never'
        ? `✅ **${pr ? 'May merge' : 'Passes'}**: \`fail-on: never\``
        : `✅ **${pr ? 'May merge' : 'Passes'}**: nothing${where} at or above \`fail-on: ${failOn}\``;
  }
  if (!diff) return head;
  const c = accessCounts(diff);
  const risks = [
    ...(c.privileged ? [`${c.privileged} privileged`] : []),
    ...(c.singleUser ? [`${c.singleUser} to a single user`] : []),
    ...(c.unresolved ? [`${c.unresolved} to unresolved targets`] : []),
  ];
  return `${head} · +${c.added} / −${c.removed} grants${risks.length ? ` · ${risks.join(', ')}` : ''}`;
}

/** "Checked `abc1234` · live state of `ssoins-…` read 2026-12-02 16:58 UTC". */
function checkedLine(checked: Checked | undefined): string | undefined {
  if (!checked) return undefined;
  const parts = [
    ...(checked.sha ? [`Checked ${markdownCode(checked.sha.slice(0, 12))}`] : []),
    checked.live
      ? `live state of ${markdownCode(checked.live.instanceArn.replace(/^.*\//, ''))} ` +
        `${checked.live.snapshot ? 'from a snapshot ' : ''}read ${readTime(checked.live.readAt)}`
      : 'live state not read',
  ];
  return `<sub>${parts.join(' · ')}</sub>`;
}

function allClear(diff: AccessDiff | undefined): string {
  const unresolved = diff?.unresolvedInHead ?? 0;
  if (!diff) return '✅ **All clear**: no findings.';
  if (unresolved === 0)
    return '✅ **All clear**: this change grants and removes no access, and there are no findings.';
  return (
    `✅ No findings, and no change to the access that can be resolved; ` +
    `${plural(unresolved, 'assignment')} to OUs, account tags, the root or account names ` +
    `${unresolved === 1 ? 'is' : 'are'} not resolved (no organization data), unchanged by this pull request.`
  );
}

function countsLine(report: Report, active: Finding[]): string {
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
  return (
    `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(notice, 'notice')}` +
    `${report.pullRequest ? ' introduced by this change' : ''}` +
    `${allSuppressed || suppressed ? `, ${allSuppressed} suppressed` : ''}${incomplete}.${applied}`
  );
}

/** How far a PR's live read looked, so that an empty base-drift section is not read as "no drift". */
export const LIVE_SCOPE = (scope: string): string =>
  `_Live state was read for what this change touches (${escapeMarkdown(scope)}): ` +
  `base drift elsewhere is not looked for here, the drift run reads everything._`;
