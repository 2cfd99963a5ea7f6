import type { Loc } from '../load/location.js';
import type { LiveOrganization } from '../live/types.js';
import { resolveTargets } from './targets.js';
import type { DeclaredModel } from './types.js';

/** One effective grant the declarations make: a principal gets a permission set in an account. */
export interface Grant {
  principalType: 'group' | 'user';
  principal: string;
  permissionSet: string;
  accountId: string;
  /** The account's alias from `accounts:`, when it has one. */
  accountAlias?: string;
  /** Where the account is written in the Assignments document (the first time, if written twice). */
  at?: Loc;
  /** The OU, tags or root it comes through, when it is not listed itself. */
  via?: string;
}

/** The identity of a grant: principals compare without case, as Identity Center's names do. */
export const grantKey = (g: Grant): string =>
  `${g.principalType}\u0000${g.principal.toLowerCase()}\u0000${g.permissionSet}\u0000${g.accountId}`;

/**
 * Every grant the declarations make, with aliases resolved to account IDs (unknown aliases are left out), and
 * OU, tag and root targets resolved through the organization when it is known (left out otherwise).
 */
export function grantsOf(model: DeclaredModel, organization?: LiveOrganization): Grant[] {
  const aliases = model.instance?.accounts ?? new Map();
  const aliasOf = new Map([...aliases].map(([alias, id]) => [id.value, alias]));
  const grants = new Map<string, Grant>();
  for (const a of model.assignments) {
    for (const { accountId, at, via } of resolveTargets(a, aliases, organization).accounts) {
      const grant: Grant = {
        principalType: a.principalType,
        principal: a.principal.value,
        permissionSet: a.permissionSet.value,
        accountId,
        accountAlias: aliasOf.get(accountId),
        at,
        ...(via ? { via } : {}),
      };
      const key = grantKey(grant);
      if (!grants.has(key)) grants.set(key, grant);
    }
  }
  return [...grants.values()];
}
