import { grantKey, grantsOf, type Grant } from '../model/grants.js';
import type { LiveOrganization } from '../live/types.js';
import type { DeclaredModel } from '../model/types.js';

export type { Grant };

/** What a change grants and takes away, compared between the base and the head declarations. */
export interface AccessDiff {
  added: Grant[];
  removed: Grant[];
}

/** The grants in `head` and not in `base` (added), and the reverse (removed), sorted for reading. */
export function accessDiff(
  base: DeclaredModel,
  head: DeclaredModel,
  organization?: LiveOrganization,
): AccessDiff {
  const before = new Map(grantsOf(base, organization).map((g) => [grantKey(g), g]));
  const after = new Map(grantsOf(head, organization).map((g) => [grantKey(g), g]));
  const order = (a: Grant, b: Grant): number => grantKey(a).localeCompare(grantKey(b));
  return {
    added: [...after]
      .filter(([k]) => !before.has(k))
      .map(([, g]) => g)
      .sort(order),
    removed: [...before]
      .filter(([k]) => !after.has(k))
      .map(([, g]) => g)
      .sort(order),
  };
}

/** "group aws-data-eng gains AdministratorAccess in prod (111111111111)", for a reader of the PR. */
export function describeGrant(g: Grant, verb: 'gains' | 'loses'): string {
  const account = g.accountAlias ? `${g.accountAlias} (${g.accountId})` : g.accountId;
  return `${g.principalType} ${g.principal} ${verb} ${g.permissionSet} in ${account}${g.via ? ` via ${g.via}` : ''}`;
}
