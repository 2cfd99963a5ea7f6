import type { Loc } from '../load/location.js';
import type { LiveOrganization } from '../live/types.js';
import { own } from '../util/own.js';
import type { AssignmentDecl, DeclaredModel, Located } from './types.js';

/**
 * One account an assignment grants in, with where it is written and, for an Organizations target, through
 * what.
 */
export interface TargetAccount {
  accountId: string;
  at: Loc;
  /**
   * "OU Workloads (ou-abcd-12345678)", "tags env=prod", "the organization root"; absent for a listed account.
   */
  via?: string;
}

/** An Organizations target that names nothing in the organization. */
export interface MissingTarget {
  at: Loc;
  /** What is missing, for a message: `OU ou-abcd-12345678`, `an account tagged env=prod`. */
  what: string;
}

/** An OU, tag or root target that could not be resolved (no organization data), and what it names. */
export interface UnresolvedTarget {
  at: Loc;
  /** "OU ou-abcd-12345678", "tags env=prod", "the organization root". */
  what: string;
}

export interface TargetResolution {
  /** The accounts it certainly grants in. */
  accounts: TargetAccount[];
  /**
   * The accounts an unresolved OU or tag target may grant in: every declared account, so that rules and the
   * team's policies judge the worst it could be ("may grant") instead of nothing.
   */
  possible: TargetAccount[];
  /** OU, tag and root targets that could not be resolved: no organization data. Never guessed away. */
  unresolved: UnresolvedTarget[];
  missing: MissingTarget[];
}

const tagText = (tags: Record<string, string>): string =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/**
 * Account ID → alias: the base's alias where the base names the account (a PR check), else the declared one.
 */
export function accountAliases(model: DeclaredModel): Map<string, string> {
  const aliasOf = new Map([...(model.instance?.accounts ?? [])].map(([alias, id]) => [id.value, alias]));
  for (const [id, alias] of model.baseAccountAliases ?? []) aliasOf.set(id, alias);
  return aliasOf;
}

/**
 * The accounts the declarations know of: the aliases of `accounts:` and every account ID an assignment lists.
 * Every one of them is in the organization, so an unresolved root target grants each of them.
 */
export function declaredAccounts(model: DeclaredModel): readonly string[] {
  const known = declaredByModel.get(model);
  if (known) return known;
  const ids = new Set<string>();
  for (const id of model.instance?.accounts.values() ?? []) ids.add(id.value);
  for (const a of model.assignments)
    for (const account of a.accounts) if (/^\d{12}$/.test(account.value)) ids.add(account.value);
  const declared = [...ids].sort();
  declaredByModel.set(model, declared);
  return declared;
}

/** Asked for by several rules and the access diff; a model is not changed once built. */
const declaredByModel = new WeakMap<DeclaredModel, readonly string[]>();

/**
 * The accounts an assignment grants in: its listed accounts (IDs, and aliases from `accounts:`), and the
 * active accounts its OU, tag and root targets name in the organization. Without the organization's
 * structure (or, for tags, its tags) those targets are unresolved: the root then grants every declared
 * account (all of them are in the organization), and an OU or tag target possibly any of them.
 */
export function resolveTargets(
  a: AssignmentDecl,
  aliases: ReadonlyMap<string, Located>,
  organization: LiveOrganization | undefined,
  declared: readonly string[] = [],
): TargetResolution {
  const result: TargetResolution = { accounts: [], possible: [], unresolved: [], missing: [] };
  for (const account of a.accounts) {
    const accountId = /^\d{12}$/.test(account.value) ? account.value : aliases.get(account.value)?.value;
    if (accountId) result.accounts.push({ accountId, at: account.at });
  }
  const { organizationalUnits, recursive, accountTags, root } = a.targets;
  if (organizationalUnits.length === 0 && !accountTags && !root) return result;
  const accounts = organization?.accounts;
  const ous = organization?.organizationalUnits ?? [];
  const active = (accounts ?? []).filter((x) => x.status === 'ACTIVE');
  const unresolved = (at: Loc, what: string, into: TargetAccount[]): void => {
    result.unresolved.push({ at, what });
    const via = `${what} (not resolved: no organization data)`;
    for (const accountId of declared) into.push({ accountId, at, via });
  };
  for (const ou of organizationalUnits) {
    if (!accounts) {
      unresolved(ou.at, `OU ${ou.value}${recursive ? ' and its child OUs' : ''}`, result.possible);
      continue;
    }
    const found = ous.find((o) => o.id === ou.value);
    if (!found) {
      result.missing.push({ at: ou.at, what: `OU ${ou.value}` });
      continue;
    }
    const parents = recursive ? subtree(ou.value, ous) : new Set([ou.value]);
    const via = `OU ${found.name} (${ou.value})${recursive ? ' and its child OUs' : ''}`;
    for (const x of active)
      if (parents.has(x.parentId)) result.accounts.push({ accountId: x.id, at: ou.at, via });
  }
  if (accountTags) {
    const tags = accountTags.value;
    if (!accounts || accounts.some((x) => !x.tags))
      unresolved(accountTags.at, `tags ${tagText(tags)}`, result.possible);
    else {
      const matching = active.filter((x) => Object.entries(tags).every(([k, v]) => own(x.tags, k) === v));
      if (matching.length === 0)
        result.missing.push({ at: accountTags.at, what: `an account tagged ${tagText(tags)}` });
      for (const x of matching)
        result.accounts.push({ accountId: x.id, at: accountTags.at, via: `tags ${tagText(tags)}` });
    }
  }
  if (root) {
    if (!accounts) unresolved(root.at, 'the organization root', result.accounts);
    else
      for (const x of active)
        result.accounts.push({ accountId: x.id, at: root.at, via: 'the organization root' });
  }
  return result;
}

/** An OU and every OU below it. */
function subtree(id: string, ous: { id: string; parentId: string }[]): Set<string> {
  const found = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const ou of ous) {
      if (!found.has(ou.parentId) || found.has(ou.id)) continue;
      found.add(ou.id);
      grew = true;
    }
  }
  return found;
}

/** Whether any assignment names accounts through Organizations (OUs, tags, the root). */
export function hasOrganizationTargets(model: DeclaredModel): boolean {
  return model.assignments.some(
    (a) => a.targets.organizationalUnits.length > 0 || a.targets.accountTags !== undefined || a.targets.root,
  );
}
