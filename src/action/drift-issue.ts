import { summarize, type Report } from '../findings/report.js';
import type { Finding } from '../findings/types.js';
import { escapeMarkdown } from '../report/escape.js';
import { plural } from '../report/text.js';
import type { RuleMeta } from '../rules/types.js';
import { COMMENT_LIMIT_CHARS } from './comment.js';
import { fileRows, fileTable, fixesSection, readTime, safeUrl, type SourceLinks } from './findings-table.js';
import { DRIFT_RULES } from './outcome.js';

/** The label the drift issue carries; with the marker, it finds the issue again. */
export const DRIFT_LABEL = 'idc-guard-drift';

/**
 * The hidden marker of the drift issue for one instance (its ARN, or the identity store ID). The key comes
 * from inputs or AWS, so only characters that cannot end an HTML comment are kept.
 */
export function driftMarker(key: string): string {
  return `<!-- idc-guard:drift ${safeKey(key)} -->`;
}

const safeKey = (key: string): string =>
  key.replace(/[^A-Za-z0-9:/._-]/g, '_').replace(/-{2,}/g, '-') || 'default';

/** The issue's title names the instance, so two instances' issues tell apart in a list. */
export function driftIssueTitle(key: string): string {
  return `idc-guard: Identity Center drift in ${safeKey(key).replace(/^.*\//, '')}`;
}

export interface DriftIssueInput {
  report: Report;
  drift: boolean;
  /** The instance ARN or identity store ID the issue is about. */
  key: string;
  /** When the live state was read: the issue is true "as of" then. */
  readAt?: string;
  catalogue?: ReadonlyMap<string, RuleMeta>;
  links?: SourceLinks;
  runUrl?: string;
  /** "today", for first-seen dates and the closing comment; the clock unless given. */
  now?: Date;
  /** The open issue's body, whose first-seen dates carry over. */
  previousBody?: string;
}

/** Drift grouped as a reader fixes it: access to remove or declare, access to apply, and the rest. */
const GROUPS: { title: string; rules: Set<string> }[] = [
  {
    title: 'Access Identity Center has and Git does not declare',
    rules: new Set(['IDC106', 'IDC109', 'IDC114', 'IDC115']),
  },
  { title: 'Access Git declares and Identity Center lacks', rules: new Set(['IDC105', 'IDC113']) },
];
const OTHER_DRIFT = 'Other differences';

// Fingerprints and dates, in a hidden comment: `<!-- idc-guard:first-seen {"fp":"2026-12-01"} -->`.
const FIRST_SEEN = /<!-- idc-guard:first-seen (\{[^<>]*\}) -->/;

/**
 * The issue's body: what drifted as of the read, grouped, by file, with the day each finding was first seen
 * (kept across updates). The counts are those of what it lists; under GitHub's limit, the least severe rows
 * are cut, and it says how many.
 */
export function renderDriftIssue(input: DriftIssueInput, limit = COMMENT_LIMIT_CHARS): string {
  const catalogue = input.catalogue ?? new Map<string, RuleMeta>();
  const findings = input.report.findings.filter((f) => !f.suppressed && DRIFT_RULES.has(f.ruleId));
  const today = (input.now ?? new Date()).toISOString().slice(0, 10);
  const seen = firstSeen(input.previousBody);
  const since = new Map(findings.map((f) => [f.fingerprint, seen.get(f.fingerprint) ?? today]));
  const dated = findings.map((f) => ({ ...f, message: `${f.message} · since ${since.get(f.fingerprint)}` }));

  const head = [
    driftMarker(input.key),
    '## idc-guard: live state differs from the declarations',
    '',
    `Instance ${escapeMarkdown(input.key)}${input.readAt ? ` · as of ${readTime(input.readAt)}` : ''} · ` +
      `${countText(findings)}.`,
    '',
  ];
  const sections = groupsOf(dated).map(({ title, findings: group }) => ({
    title: `### ${title} (${group.length})`,
    files: fileRows(group, catalogue, input.links),
  }));
  const tail = [
    ...fixesSection(new Set(findings.map((f) => f.ruleId)), catalogue),
    ...(input.report.errors.length
      ? [`_${plural(input.report.errors.length, 'tool error')}: not everything could be read._`, '']
      : []),
    input.runUrl ? `[The workflow run](${safeUrl(input.runUrl)}) has the job summary.` : '',
    `<!-- idc-guard:first-seen ${JSON.stringify(Object.fromEntries(since))} -->`,
  ];
  let budget = limit - [...head, ...tail].join('\n').length - 512;
  let cut = 0;
  const body: string[] = [];
  for (const section of sections) {
    const shown: string[] = [];
    for (const { file, rows } of section.files) {
      const kept = rows.filter((r) => (budget -= r.markdown.length + 1) > 0);
      cut += rows.slice(kept.length).reduce((n, r) => n + r.findings, 0);
      if (kept.length)
        shown.push(
          ...fileTable(
            file,
            kept.map((r) => r.markdown),
          ),
        );
      budget -= file.length + 60;
    }
    body.push(section.title, '', ...shown);
  }
  if (cut > 0)
    body.push(
      `_${plural(cut, 'finding')} not shown, to stay under GitHub's limit: the job summary has them._`,
      '',
    );
  return `${[...head, ...body, ...tail].join('\n').trimEnd()}\n`;
}

function groupsOf(findings: Finding[]): { title: string; findings: Finding[] }[] {
  const groups = [
    ...GROUPS.map((g) => ({ title: g.title, findings: findings.filter((f) => g.rules.has(f.ruleId)) })),
    {
      title: OTHER_DRIFT,
      findings: findings.filter((f) => !GROUPS.some((g) => g.rules.has(f.ruleId))),
    },
  ];
  return groups.filter((g) => g.findings.length > 0);
}

function countText(findings: Finding[]): string {
  const { error, warning, notice } = summarize(findings);
  const parts = [
    ...(error ? [plural(error, 'error')] : []),
    ...(warning ? [plural(warning, 'warning')] : []),
    ...(notice ? [plural(notice, 'notice')] : []),
  ];
  return `${plural(findings.length, 'difference')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** The first-seen dates an earlier body recorded; anything that is not a fingerprint and a date is ignored. */
function firstSeen(body: string | undefined): Map<string, string> {
  const json = body ? FIRST_SEEN.exec(body)?.[1] : undefined;
  if (!json) return new Map();
  try {
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return new Map();
    return new Map(
      Object.entries(parsed).filter(
        (e): e is [string, string] =>
          /^[A-Za-z0-9:_.-]{1,200}$/.test(e[0]) &&
          typeof e[1] === 'string' &&
          /^\d{4}-\d{2}-\d{2}$/.test(e[1]),
      ),
    );
  } catch {
    return new Map();
  }
}
