import type { Loc } from '../load/location.js';
import type { LiveOrganization } from '../live/types.js';
import { accountAliases, declaredAccounts, resolveTargets, type UnresolvedTarget } from './targets.js';
import type { AssignmentDecl, DeclaredModel } from './types.js';

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
  /** false: an unresolved OU or tag target may grant it (the worst case); absent: it is granted. */
  resolved?: false;
}

/** An assignment to an OU, tags or the root that no organization data resolves. */
export interface UnresolvedGrant {
  principalType: 'group' | 'user';
  principal: string;
  permissionSet: string;
  target: UnresolvedTarget;
}

/** The identity of a grant: principals compare without case, as Identity Center's names do. */
export const grantKey = (g: Grant): string =>
  `${g.principalType}\u0000${g.principal.toLowerCase()}\u0000${g.permissionSet}\u0000${g.accountId}`;

/**
 * Every grant the declarations make, with aliases resolved to account IDs (unknown aliases are left out), and
 * OU, tag and root targets resolved through the organization when it is known. Without it the root grants
 * every declared account, and with `possible` an unresolved OU or tag target yields, for every declared
 * account, a grant marked `resolved: false`.
 */
export function grantsOf(
  model: DeclaredModel,
  organization?: LiveOrganization,
  options: { possible?: boolean; only?: readonly AssignmentDecl[]; declared?: string[] } = {},
): Grant[] {
  // Every grant of a model is asked for by several rules and the policies: worked out once per model.
  if (options.only || options.declared) return computeGrants(model, organization, options);
  const byOrganization = everyGrant.get(model) ?? new Map<LiveOrganization | undefined, Grant[][]>();
  everyGrant.set(model, byOrganization);
  const known = byOrganization.get(organization) ?? [];
  byOrganization.set(organization, known);
  const slot = options.possible ? 1 : 0;
  return (known[slot] ??= computeGrants(model, organization, options));
}

/** The grants of a whole model, by organization, [certain, with "may grant"]: read-only for their callers. */
const everyGrant = new WeakMap<DeclaredModel, Map<LiveOrganization | undefined, Grant[][]>>();

function computeGrants(
  model: DeclaredModel,
  organization: LiveOrganization | undefined,
  options: { possible?: boolean; only?: readonly AssignmentDecl[]; declared?: string[] },
): Grant[] {
  const aliases = model.instance?.accounts ?? new Map();
  const aliasOf = accountAliases(model);
  const declared = options.declared ?? declaredAccounts(model);
  const grants = new Map<string, Grant>();
  const maybe: Grant[] = [];
  for (const a of options.only ?? model.assignments) {
    const resolution = resolveTargets(a, aliases, organization, declared);
    const add = ({ accountId, at, via }: (typeof resolution.accounts)[number], resolved: boolean) => {
      const grant: Grant = {
        principalType: a.principalType,
        principal: a.principal.value,
        permissionSet: a.permissionSet.value,
        accountId,
        accountAlias: aliasOf.get(accountId),
        at,
        ...(via ? { via } : {}),
        ...(resolved ? {} : { resolved: false as const }),
      };
      if (resolved) {
        const key = grantKey(grant);
        if (!grants.has(key)) grants.set(key, grant);
      } else maybe.push(grant);
    };
    for (const t of resolution.accounts) add(t, true);
    if (options.possible) for (const t of resolution.possible) add(t, false);
  }
  // A grant that is certain elsewhere is not also a "may grant".
  for (const g of maybe) {
    const key = grantKey(g);
    if (!grants.has(key)) grants.set(key, g);
  }
  return [...grants.values()];
}

/** The assignments whose OU, tag or root targets the organization data does not resolve. */
export function unresolvedGrantsOf(model: DeclaredModel, organization?: LiveOrganization): UnresolvedGrant[] {
  const aliases = model.instance?.accounts ?? new Map();
  return model.assignments.flatMap((a) =>
    resolveTargets(a, aliases, organization).unresolved.map((target) => ({
      principalType: a.principalType,
      principal: a.principal.value,
      permissionSet: a.permissionSet.value,
      target,
    })),
  );
}
