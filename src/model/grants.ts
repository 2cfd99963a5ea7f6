import type { Loc } from '../load/location.js';
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
}

/** The identity of a grant: principals compare without case, as Identity Center's names do. */
export const grantKey = (g: Grant): string =>
  `${g.principalType}\u0000${g.principal.toLowerCase()}\u0000${g.permissionSet}\u0000${g.accountId}`;

/** Every grant the declarations make, with aliases resolved to account IDs (unknown aliases are left out). */
export function grantsOf(model: DeclaredModel): Grant[] {
  const aliases = model.instance?.accounts ?? new Map();
  const aliasOf = new Map([...aliases].map(([alias, id]) => [id.value, alias]));
  const grants = new Map<string, Grant>();
  for (const a of model.assignments) {
    for (const account of a.accounts) {
      const accountId = /^\d{12}$/.test(account.value) ? account.value : aliases.get(account.value)?.value;
      if (!accountId) continue;
      const grant: Grant = {
        principalType: a.principalType,
        principal: a.principal.value,
        permissionSet: a.permissionSet.value,
        accountId,
        accountAlias: aliasOf.get(accountId),
        at: account.at,
      };
      const key = grantKey(grant);
      if (!grants.has(key)) grants.set(key, grant);
    }
  }
  return [...grants.values()];
}
