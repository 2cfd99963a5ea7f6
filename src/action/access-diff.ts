import type { DeclaredModel } from '../model/types.js';

/** One effective grant: a principal gets a permission set in an account. */
export interface Grant {
  principalType: 'group' | 'user';
  principal: string;
  permissionSet: string;
  accountId: string;
  /** The account's alias from `accounts:`, when it has one. */
  accountAlias?: string;
}

/** What a change grants and takes away, compared between the base and the head declarations. */
export interface AccessDiff {
  added: Grant[];
  removed: Grant[];
}

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
      };
      grants.set(grantKey(grant), grant);
    }
  }
  return [...grants.values()];
}

const grantKey = (g: Grant): string =>
  `${g.principalType}\u0000${g.principal.toLowerCase()}\u0000${g.permissionSet}\u0000${g.accountId}`;

/** The grants in `head` and not in `base` (added), and the reverse (removed), sorted for reading. */
export function accessDiff(base: DeclaredModel, head: DeclaredModel): AccessDiff {
  const before = new Map(grantsOf(base).map((g) => [grantKey(g), g]));
  const after = new Map(grantsOf(head).map((g) => [grantKey(g), g]));
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
  return `${g.principalType} ${g.principal} ${verb} ${g.permissionSet} in ${account}`;
}
