import { plural } from '../report/text.js';
import { escapeMarkdown, markdownCode } from '../report/escape.js';
import {
  describeManagementChange,
  describeNewlyPrivileged,
  describeUnresolved,
  type AccessDiff,
  type Grant,
  type GrantRisk,
} from '../pull-request/access-diff.js';
import { grantKey } from '../model/grants.js';
import {
  applicationGrantKey,
  applicationWarnings,
  type ApplicationGrant,
} from '../pull-request/application-diff.js';

/** What a pull request grants and takes away, in numbers, for the verdict line. */
export interface AccessCounts {
  added: number;
  removed: number;
  privileged: number;
  singleUser: number;
  unresolved: number;
}

/** One line of the access section: a principal's change of one permission set in a set of accounts. */
export interface AccessItem {
  /** Markdown, escaped. */
  markdown: string;
  /** The same without its collapsed list of accounts, for when room runs out. */
  short: string;
  /** Shown first, never cut: privileged, single-user, production, unresolved, leaving Git, or a removal. */
  risky: boolean;
  /** How many grants (principal, permission set, account) it stands for. */
  grants: number;
}

// Up to this many accounts are named in the line itself; more go into a collapsed list under it.
const INLINE_ACCOUNTS = 3;

export function accessCounts(diff: AccessDiff): AccessCounts {
  const risk = (g: Grant) => diff.risk?.get(grantKey(g));
  const apps = diff.applications;
  return {
    added: diff.added.length + (apps?.added.length ?? 0),
    removed: diff.removed.length + (apps?.removed.length ?? 0),
    privileged:
      diff.added.filter((g) => risk(g)?.privileged).length +
      (diff.newlyPrivileged ?? []).reduce((n, p) => n + p.grants, 0),
    singleUser: [...diff.added, ...(apps?.added ?? [])].filter((g) => g.principalType === 'user').length,
    unresolved: diff.unresolvedAdded?.length ?? 0,
  };
}

/**
 * The access changes as lines, riskiest first: definitions leaving Git and unresolved targets (any account),
 * privileged grants, grants to single users, grants in production accounts, removals; then the rest. Grants
 * of one principal and permission set that share their risk and status are one line listing the accounts.
 */
export function accessItems(diff: AccessDiff): AccessItem[] {
  const warnings: AccessItem[] = [
    ...(diff.managementChanges ?? []).map((c) => describeManagementChange(c)),
    ...(diff.unresolvedAdded ?? []).map((u) => describeUnresolved(u, 'gains')),
    ...(diff.unresolvedRemoved ?? []).map((u) => describeUnresolved(u, 'loses')),
    ...applicationWarnings(diff.applications),
  ].map((text) => {
    const markdown = `⚠️ ${escapeMarkdown(text)}`;
    return { markdown, short: markdown, risky: true, grants: 1 };
  });
  for (const p of diff.newlyPrivileged ?? []) {
    const markdown =
      `🔑 permission set ${markdownCode(p.permissionSet)} becomes **privileged**: ` +
      escapeMarkdown(describeNewlyPrivileged(p));
    warnings.unshift({ markdown, short: markdown, risky: true, grants: p.grants });
  }
  const groups = new Map<string, { grants: Grant[]; removed: boolean; risk: GrantRisk; status: string }>();
  const collect = (grants: Grant[], removed: boolean) => {
    for (const g of grants) {
      const risk = diff.risk?.get(grantKey(g)) ?? {};
      const status = statusText(diff, g, removed);
      const key = JSON.stringify([
        removed,
        g.principalType,
        g.principal.toLowerCase(),
        g.permissionSet,
        risk.privileged ?? '',
        risk.production ?? false,
        status,
      ]);
      const group = groups.get(key) ?? { grants: [], removed, risk, status };
      group.grants.push(g);
      groups.set(key, group);
    }
  };
  collect(diff.added, false);
  collect(diff.removed, true);
  const items = [...groups.values()].map((group) => ({
    item: grantItem(group.grants, group.removed, group.risk, group.status),
    rank: riskRank(group.risk, group.removed),
  }));
  for (const [grants, removed] of [
    [diff.applications?.added ?? [], false],
    [diff.applications?.removed ?? [], true],
  ] as const) {
    for (const g of grants) {
      const risk = { singleUser: g.principalType === 'user' };
      items.push({ item: applicationItem(diff, g, removed, risk.singleUser), rank: riskRank(risk, removed) });
    }
  }
  items.sort((a, b) => a.rank - b.rank);
  return [...warnings, ...items.map((i) => i.item)];
}

function applicationItem(
  diff: AccessDiff,
  g: ApplicationGrant,
  removed: boolean,
  singleUser: boolean,
): AccessItem {
  const live = diff.applicationsLive?.has(applicationGrantKey(g));
  const status =
    live === undefined ? '' : removed ? (live ? '' : 'already gone from live') : live ? 'already live' : '';
  const tags = [...(singleUser && !removed ? ['**single user**'] : []), ...(status ? [status] : [])];
  const markdown =
    `${removed ? '➖' : '➕'} ${g.principalType} ${markdownCode(g.principal)} ` +
    `${removed ? 'loses' : 'gains'} application ${markdownCode(g.application)}` +
    (tags.length ? ` · ${tags.join(' · ')}` : '');
  return { markdown, short: markdown, risky: removed || singleUser, grants: 1 };
}

/** 0 privileged, 1 single user, 2 production, 3 removal, 4 the rest. */
function riskRank(risk: GrantRisk, removed: boolean): number {
  if (risk.privileged && !removed) return 0;
  if (risk.singleUser && !removed) return 1;
  if (risk.production && !removed) return 2;
  return removed ? 3 : 4;
}

function statusText(diff: AccessDiff, g: Grant, removed: boolean): string {
  const s = diff.status?.get(grantKey(g));
  if (s?.status === 'blocked') return `blocked by ${s.blockedBy}: merging grants nothing until it is fixed`;
  if (s?.status === 'applied') return removed ? 'already gone from live' : 'already live';
  return '';
}

function grantItem(grants: Grant[], removed: boolean, risk: GrantRisk, status: string): AccessItem {
  const g = grants[0];
  const accounts = grants.map(accountText);
  const inline = accounts.length <= INLINE_ACCOUNTS;
  const where = inline ? accounts.join(', ') : plural(accounts.length, 'account');
  const tags = [
    ...(risk.privileged ? [`**privileged**: ${escapeMarkdown(risk.privileged)}`] : []),
    ...(risk.singleUser ? ['**single user**'] : []),
    ...(risk.production ? ['**production**'] : []),
    ...(status ? [escapeMarkdown(status)] : []),
  ];
  const head =
    `${removed ? '➖' : '➕'} ${g.principalType} ${markdownCode(g.principal)} ` +
    `${removed ? 'loses' : 'gains'} ${markdownCode(g.permissionSet)} in ${where}` +
    (tags.length ? ` · ${tags.join(' · ')}` : '');
  const list = inline
    ? ''
    : `\n  <details><summary>the ${accounts.length} accounts</summary>\n\n` +
      `${accounts.map((a) => `  - ${a}`).join('\n')}\n\n  </details>`;
  return { markdown: head + list, short: head, risky: riskRank(risk, removed) < 4, grants: grants.length };
}

function accountText(g: Grant): string {
  const account = g.accountAlias ? `${escapeMarkdown(g.accountAlias)} (${g.accountId})` : g.accountId;
  return g.via ? `${account} via ${escapeMarkdown(g.via)}` : account;
}
