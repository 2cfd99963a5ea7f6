import { grantKey, grantsOf, unresolvedGrantsOf, type Grant, type UnresolvedGrant } from '../model/grants.js';
import type { LiveOrganization, LiveState } from '../live/types.js';
import { accountAliases, declaredAccounts } from '../model/targets.js';
import type { AssignmentDecl, DeclaredModel, ManagedBy } from '../model/types.js';

import {
  applicationDiff,
  applicationGrantKey,
  describeApplicationGrant,
  applicationWarnings,
  type ApplicationDiff,
  type ApplicationGrant,
} from './application-diff.js';

export type { Grant, UnresolvedGrant };
export { liveApplicationGrants } from './application-diff.js';

/**
 * Where a change stands against live state: `pending` (applied on merge), `applied` (live already has it, e.g.
 * made by hand ahead of the merge), or `blocked` (a prerequisite finding: the group is missing, hand-made or
 * empty, so merging grants nothing).
 */
export type ChangeStatus = 'pending' | 'applied' | 'blocked';

export interface LiveStatus {
  status: ChangeStatus;
  /** For `blocked`: the rule that blocks it. */
  blockedBy?: string;
}

/** Why a reviewer must look at a grant before any other: never cut from the PR comment. */
export interface GrantRisk {
  /** The permission set grants administrator-like power: why, in a few words. */
  privileged?: string;
  /** The grant is to one user rather than to a group. */
  singleUser?: boolean;
  /** The account is a production account (by its alias or its name in AWS Organizations). */
  production?: boolean;
}

/** What a change grants and takes away, compared between the base and the head declarations. */
export interface AccessDiff {
  added: Grant[];
  removed: Grant[];
  /**
   * Assignments to OUs, tags or the root that no organization data resolves, added or removed: shown, never
   * dropped, since they may grant in any account of the organization.
   */
  unresolvedAdded?: UnresolvedGrant[];
  unresolvedRemoved?: UnresolvedGrant[];
  /** How many of the head's assignments to OUs, tags or the root are unresolved, changed or not. */
  unresolvedInHead?: number;
  /** With live state: where each added and removed grant stands, by grantKey. */
  status?: Map<string, LiveStatus>;
  /** Objects both sides declare whose `managedBy` the change sets, changes or removes. */
  managementChanges?: ManagementChange[];
  /** What a reviewer must look at first in each added and removed grant, by grantKey (access-risk.ts). */
  risk?: Map<string, GrantRisk>;
  /**
   * Permission sets the change makes privileged: every grant of theirs gains that power, though no grant
   * is added (access-risk.ts).
   */
  newlyPrivileged?: { permissionSet: string; why: string; grants: number }[];
  /** Access to applications the change adds and removes, and applications it opens to every user. */
  applications?: ApplicationDiff;
  /** With live state: the application grants live has already, by applicationGrantKey. */
  applicationsLive?: Set<string>;
}

/** A permission set or group whose definition moves out of Git (`to`), into it (`from`), or between managers. */
export interface ManagementChange {
  kind: 'permission set' | 'group';
  name: string;
  /** The base's `managedBy`; undefined: defined in Git. */
  from?: ManagedBy;
  /** The head's `managedBy`; undefined: defined in Git. */
  to?: ManagedBy;
}

/** The grants in `head` and not in `base` (added), and the reverse (removed), sorted for reading. */
export function accessDiff(
  base: DeclaredModel,
  head: DeclaredModel,
  organization?: LiveOrganization,
): AccessDiff {
  const [added, removed] = grantDifference(base, head, organization);
  const unresolvedHead = unresolvedGrantsOf(head, organization);
  const [unresolvedAdded, unresolvedRemoved] = difference(
    unresolvedGrantsOf(base, organization),
    unresolvedHead,
    unresolvedKey,
  );
  return {
    added,
    removed,
    unresolvedAdded,
    unresolvedRemoved,
    unresolvedInHead: unresolvedHead.length,
    managementChanges: managementChanges(base, head),
    applications: applicationDiff(base, head),
  };
}

/**
 * Who manages each object both sides declare, where the change moves it: a pull request that marks a
 * permission set managed elsewhere takes its definition out of the comparison once merged, so it is shown.
 */
function managementChanges(base: DeclaredModel, head: DeclaredModel): ManagementChange[] {
  const changes: ManagementChange[] = [];
  const compare = (
    kind: ManagementChange['kind'],
    before: { name: string; managedBy?: ManagedBy }[],
    after: { name: string; managedBy?: ManagedBy }[],
    key: (name: string) => string,
  ): void => {
    const was = new Map(before.map((d) => [key(d.name), d.managedBy]));
    const seen = new Set<string>();
    for (const d of after) {
      const k = key(d.name);
      if (!was.has(k) || seen.has(k)) continue;
      seen.add(k);
      const from = was.get(k);
      if (from !== d.managedBy) changes.push({ kind, name: d.name, from, to: d.managedBy });
    }
  };
  compare('permission set', base.permissionSets, head.permissionSets, (n) => n);
  // Group names are compared without case, as Identity Center does.
  compare('group', base.groups, head.groups, (n) => n.toLowerCase());
  return changes;
}

/** "permission set Admin leaves Git: …", for a reader of the PR. */
export function describeManagementChange(c: ManagementChange): string {
  const what = `${c.kind} ${c.name}`;
  if (c.to && !c.from)
    return (
      `${what} is no longer defined in Git: this change marks it managedBy: ${c.to}, so once ` +
      `merged its definition is not compared with Identity Center (its assignments still are)`
    );
  if (c.from && !c.to)
    return (
      `${what} is now defined in Git (it was managedBy: ${c.from}): once merged, its definition ` +
      `here is compared with Identity Center`
    );
  return `${what} moves from managedBy: ${c.from} to managedBy: ${c.to}`;
}

/** "AWS managed AdministratorAccess; its 2 grants gain that power with no grant added". */
export function describeNewlyPrivileged(p: { why: string; grants: number }): string {
  return `${p.why}; its ${p.grants} grant${p.grants === 1 ? '' : 's'} gain that power with no grant added`;
}

/** Whether a diff changes anything at all, resolved or not. */
export function changesAccess(diff: AccessDiff): boolean {
  return accessLines(diff).length > 0;
}

/**
 * [granted by head only, granted by base only]. Most of a pull request's assignments are the same on both sides:
 * when the account aliases are too, an assignment written the same way grants the same, so only the grants of
 * the assignments that differ are worked out, each checked against the other side's assignments of the same
 * principal and permission set (a grant may come from several). Linear in what changed, not in the repository.
 */
function grantDifference(
  base: DeclaredModel,
  head: DeclaredModel,
  organization?: LiveOrganization,
): [Grant[], Grant[]] {
  const declared = declaredAccounts(base);
  const sameAccounts =
    JSON.stringify([...accountAliases(base)].sort()) === JSON.stringify([...accountAliases(head)].sort()) &&
    declared.join() === declaredAccounts(head).join();
  if (!sameAccounts) return difference(grantsOf(base, organization), grantsOf(head, organization), grantKey);
  // The entities of a file both sides hold are the same objects (model/build.ts): those cancel out at once,
  // and only the rest are compared as written.
  const inBase = new Set(base.assignments);
  const inHead = new Set(head.assignments);
  const rest = new Map<DeclaredModel, AssignmentDecl[]>([
    [base, base.assignments.filter((a) => !inHead.has(a))],
    [head, head.assignments.filter((a) => !inBase.has(a))],
  ]);
  const signatures = new Map<AssignmentDecl, string>();
  for (const list of rest.values()) for (const a of list) signatures.set(a, signature(a));
  const only = (from: DeclaredModel, other: DeclaredModel): Grant[] => {
    const counts = new Map<string, number>();
    for (const a of rest.get(other)!)
      counts.set(signatures.get(a)!, (counts.get(signatures.get(a)!) ?? 0) + 1);
    const changed = rest.get(from)!.filter((a) => {
      const n = counts.get(signatures.get(a)!) ?? 0;
      if (n > 0) counts.set(signatures.get(a)!, n - 1);
      return n === 0;
    });
    if (changed.length === 0) return [];
    const pairs = new Set(changed.map(pairKey));
    const otherKeys = new Set(
      grantsOf(other, organization, {
        declared,
        only: other.assignments.filter((a) => pairs.has(pairKey(a))),
      }).map(grantKey),
    );
    const seen = new Set<string>();
    return grantsOf(from, organization, { declared, only: changed })
      .filter((g) => !otherKeys.has(grantKey(g)) && !seen.has(grantKey(g)) && seen.add(grantKey(g)))
      .sort((a, b) => grantKey(a).localeCompare(grantKey(b)));
  };
  return [only(head, base), only(base, head)];
}

const pairKey = (a: AssignmentDecl): string =>
  `${a.principalType}\u0000${a.principal.value.toLowerCase()}\u0000${a.permissionSet.value}`;

/** An assignment as written, without where: two written alike grant alike (given the same aliases). */
const signature = (a: AssignmentDecl): string => {
  const t = a.targets;
  const tags = t.accountTags ? JSON.stringify(t.accountTags.value) : '';
  const accounts = a.accounts.map((x) => x.value).join(',');
  const ous = t.organizationalUnits.map((x) => x.value).join(',');
  const excluded = a.excludedAccounts.map((x) => x.value).join(',');
  return `${pairKey(a)}\u0001${accounts}\u0001${ous}\u0001${t.recursive ? 1 : 0}\u0001${tags}\u0001${t.root ? 1 : 0}\u0001${excluded}`;
};

const unresolvedKey = (u: UnresolvedGrant): string =>
  `${u.principalType}\u0000${u.principal.toLowerCase()}\u0000${u.permissionSet}\u0000${u.target.what}`;

/** [in `after` only, in `before` only], each sorted by key. */
function difference<T>(before: T[], after: T[], key: (t: T) => string): [T[], T[]] {
  const b = new Map(before.map((t) => [key(t), t]));
  const a = new Map(after.map((t) => [key(t), t]));
  const only = (x: Map<string, T>, y: Map<string, T>) =>
    [...x]
      .filter(([k]) => !y.has(k))
      .sort(([k1], [k2]) => k1.localeCompare(k2))
      .map(([, t]) => t);
  return [only(a, b), only(b, a)];
}

/** "group aws-data-eng gains AdministratorAccess in prod (111111111111)", for a reader of the PR. */
export function describeGrant(g: Grant, verb: 'gains' | 'loses'): string {
  const label = g.accountAlias ?? g.accountName;
  const account = label ? `${label} (${g.accountId})` : g.accountId;
  return `${g.principalType} ${g.principal} ${verb} ${g.permissionSet} in ${account}${g.via ? ` via ${g.via}` : ''}`;
}

/**
 * "group contractors gains AdministratorAccess in every account of the organization root: not resolved",
 * for a target nobody could resolve: what it may grant is the whole of it.
 */
export function describeUnresolved(u: UnresolvedGrant, verb: 'gains' | 'loses'): string {
  const where =
    u.target.what === 'the organization root'
      ? 'every account of the organization (root)'
      : u.target.one
        ? u.target.what
        : `every account of ${u.target.what}`;
  return (
    `${u.principalType} ${u.principal} ${verb} ${u.permissionSet} in ${where}: not resolved ` +
    `(no organization data), so it may be any account of the organization`
  );
}

/**
 * The diff as lines for a reader, riskiest first: definitions leaving (or entering) Git, unresolved targets
 * (any account), then grants, then removals.
 */
export function accessLines(diff: AccessDiff): { icon: '➕' | '➖' | '⚠️'; text: string }[] {
  const state = (g: Grant, removed: boolean): string => {
    const s = diff.status?.get(grantKey(g));
    if (!s) return '';
    if (s.status === 'blocked') return ` (blocked: ${s.blockedBy}, see the findings)`;
    if (s.status === 'applied') return removed ? ' (already gone live)' : ' (already live)';
    return removed ? ' (pending removal: applied on merge)' : ' (pending: applied on merge)';
  };
  return [
    ...(diff.newlyPrivileged ?? []).map((p) => ({
      icon: '⚠️' as const,
      text: `permission set ${p.permissionSet} becomes privileged: ${describeNewlyPrivileged(p)}`,
    })),
    ...(diff.managementChanges ?? []).map((c) => ({
      icon: '⚠️' as const,
      text: describeManagementChange(c),
    })),
    ...(diff.unresolvedAdded ?? []).map((u) => ({
      icon: '⚠️' as const,
      text: describeUnresolved(u, 'gains'),
    })),
    ...(diff.unresolvedRemoved ?? []).map((u) => ({
      icon: '⚠️' as const,
      text: describeUnresolved(u, 'loses'),
    })),
    ...applicationWarnings(diff.applications).map((text) => ({ icon: '⚠️' as const, text })),
    ...diff.added.map((g) => ({ icon: '➕' as const, text: describeGrant(g, 'gains') + state(g, false) })),
    ...(diff.applications?.added ?? []).map((g) => ({
      icon: '➕' as const,
      text: describeApplicationGrant(g, 'gains') + applicationState(diff, g, false),
    })),
    ...diff.removed.map((g) => ({ icon: '➖' as const, text: describeGrant(g, 'loses') + state(g, true) })),
    ...(diff.applications?.removed ?? []).map((g) => ({
      icon: '➖' as const,
      text: describeApplicationGrant(g, 'loses') + applicationState(diff, g, true),
    })),
  ];
}

function applicationState(diff: AccessDiff, g: ApplicationGrant, removed: boolean): string {
  if (!diff.applicationsLive) return '';
  const live = diff.applicationsLive.has(applicationGrantKey(g));
  if (removed) return live ? ' (pending removal: applied on merge)' : ' (already gone live)';
  return live ? ' (already live)' : ' (pending: applied on merge)';
}

/**
 * Where each change stands against live state: a grant live has already is applied, one whose group a
 * prerequisite finding concerns is blocked, the rest is pending. `blocking` maps lower-cased group names to
 * the rule that blocks them.
 */
export function liveStatus(
  diff: AccessDiff,
  live: LiveState,
  blocking: ReadonlyMap<string, string>,
): Map<string, LiveStatus> {
  const groups = new Map(live.groups.map((g) => [g.displayName.toLowerCase(), g.groupId]));
  const users = new Map(live.users.map((u) => [u.userName.toLowerCase(), u.userId]));
  const arns = new Map(live.permissionSets.map((p) => [p.name, p.arn]));
  const assigned = new Set(
    live.assignments.map((a) => `${a.principalType}|${a.principalId}|${a.permissionSetArn}|${a.accountId}`),
  );
  const isLive = (g: Grant): boolean => {
    const id = (g.principalType === 'group' ? groups : users).get(g.principal.toLowerCase());
    const arn = arns.get(g.permissionSet);
    const key = `${g.principalType.toUpperCase()}|${id}|${arn}|${g.accountId}`;
    return id !== undefined && arn !== undefined && assigned.has(key);
  };
  const status = new Map<string, LiveStatus>();
  for (const g of diff.added) {
    const blockedBy = g.principalType === 'group' ? blocking.get(g.principal.toLowerCase()) : undefined;
    const live = isLive(g);
    status.set(
      grantKey(g),
      live ? { status: 'applied' } : blockedBy ? { status: 'blocked', blockedBy } : { status: 'pending' },
    );
  }
  for (const g of diff.removed) status.set(grantKey(g), { status: isLive(g) ? 'pending' : 'applied' });
  return status;
}
