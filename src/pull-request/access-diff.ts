import { grantKey, grantsOf, unresolvedGrantsOf, type Grant, type UnresolvedGrant } from '../model/grants.js';
import type { LiveOrganization } from '../live/types.js';
import type { DeclaredModel } from '../model/types.js';

export type { Grant, UnresolvedGrant };

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
}

/** The grants in `head` and not in `base` (added), and the reverse (removed), sorted for reading. */
export function accessDiff(
  base: DeclaredModel,
  head: DeclaredModel,
  organization?: LiveOrganization,
): AccessDiff {
  const [added, removed] = difference(grantsOf(base, organization), grantsOf(head, organization), grantKey);
  const unresolvedHead = unresolvedGrantsOf(head, organization);
  const [unresolvedAdded, unresolvedRemoved] = difference(
    unresolvedGrantsOf(base, organization),
    unresolvedHead,
    unresolvedKey,
  );
  return { added, removed, unresolvedAdded, unresolvedRemoved, unresolvedInHead: unresolvedHead.length };
}

/** Whether a diff changes anything at all, resolved or not. */
export function changesAccess(diff: AccessDiff): boolean {
  return accessLines(diff).length > 0;
}

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
  const account = g.accountAlias ? `${g.accountAlias} (${g.accountId})` : g.accountId;
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
      : `every account of ${u.target.what}`;
  return `${u.principalType} ${u.principal} ${verb} ${u.permissionSet} in ${where}: not resolved (no organization data), so it may be any account of the organization`;
}

/** The diff as lines for a reader, riskiest first: unresolved targets (any account), then grants, then removals. */
export function accessLines(diff: AccessDiff): { icon: '➕' | '➖' | '⚠️'; text: string }[] {
  return [
    ...(diff.unresolvedAdded ?? []).map((u) => ({
      icon: '⚠️' as const,
      text: describeUnresolved(u, 'gains'),
    })),
    ...(diff.unresolvedRemoved ?? []).map((u) => ({
      icon: '⚠️' as const,
      text: describeUnresolved(u, 'loses'),
    })),
    ...diff.added.map((g) => ({ icon: '➕' as const, text: describeGrant(g, 'gains') })),
    ...diff.removed.map((g) => ({ icon: '➖' as const, text: describeGrant(g, 'loses') })),
  ];
}
