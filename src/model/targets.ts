import type { Loc } from '../load/location.js';
import type { LiveAccount, LiveOrganization } from '../live/types.js';
import { own } from '../util/own.js';
import { quote } from '../util/text.js';
import {
  ACCOUNT_ID,
  findAccountByName,
  findOu,
  OU_ID,
  ouText,
  type Lookup,
  type NamedOu,
} from './organization-names.js';
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

/** An Organizations target, account name or exclusion that names nothing (or several things) in the organization. */
export interface MissingTarget {
  at: Loc;
  /** What is missing, for a message: `OU ou-abcd-12345678`, `an account tagged env=prod`, `the account named "Audit"`. */
  what: string;
  /** An OU or account named by its name or path, as written: for a "did you mean". */
  name?: { kind: 'ou' | 'account'; value: string };
  /** A name that several OUs or accounts have, each as `OU Workloads/Production (ou-…)`: it is refused. */
  ambiguous?: string[];
  /** It is an `excludedAccounts` entry: nothing is subtracted for it. */
  excluded?: true;
}

/** An OU, tag, root or account-name target that could not be resolved (no organization data). */
export interface UnresolvedTarget {
  at: Loc;
  /** "OU ou-abcd-12345678", "tags env=prod", "the organization root", "the account named \"Audit\"". */
  what: string;
  /** One account (a name) or a set of them (an OU, tags, the root). */
  one?: true;
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
    for (const account of a.accounts) if (ACCOUNT_ID.test(account.value)) ids.add(account.value);
  const declared = [...ids].sort();
  declaredByModel.set(model, declared);
  return declared;
}

/** Asked for by several rules and the access diff; a model is not changed once built. */
const declaredByModel = new WeakMap<DeclaredModel, readonly string[]>();

/** An `accounts` entry's account ID, when it is an ID or an alias; undefined for an account name. */
const listedId = (value: string, aliases: ReadonlyMap<string, Located>): string | undefined =>
  ACCOUNT_ID.test(value) ? value : aliases.get(value)?.value;

/**
 * Whether an assignment needs AWS Organizations to say where it grants: OU, tag or root targets, or an
 * account (listed or excluded) named by its account name rather than its ID or an alias.
 */
export function usesOrganization(a: AssignmentDecl, aliases: ReadonlyMap<string, Located>): boolean {
  const t = a.targets;
  if (t.organizationalUnits.length > 0 || t.accountTags !== undefined || t.root) return true;
  return [...a.accounts, ...a.excludedAccounts].some((x) => !x.invalid && !listedId(x.value, aliases));
}

/** Whether any assignment needs AWS Organizations to say where it grants. */
export function hasOrganizationTargets(model: DeclaredModel): boolean {
  const aliases = model.instance?.accounts ?? new Map<string, Located>();
  return model.assignments.some((a) => usesOrganization(a, aliases));
}

/**
 * The accounts an assignment grants in: its listed accounts (IDs, aliases from `accounts:`, account names),
 * and the active accounts its OU, tag and root targets name in the organization, less its
 * `excludedAccounts`. Without the organization's structure (or, for tags, its tags) those targets and names
 * are unresolved: the root then grants every declared account (all of them are in the organization), and an
 * OU, tag or name target possibly any of them. An exclusion that cannot be resolved subtracts nothing: the
 * worst case is judged.
 */
export function resolveTargets(
  a: AssignmentDecl,
  aliases: ReadonlyMap<string, Located>,
  organization: LiveOrganization | undefined,
  declared: readonly string[] = [],
): TargetResolution {
  const result: TargetResolution = { accounts: [], possible: [], unresolved: [], missing: [] };
  const { organizationalUnits, recursive, accountTags, root } = a.targets;
  // The organization, when its structure was read; without it OU, root and name targets are unresolved.
  const known = organization?.accounts ? organization : undefined;
  const ous = organization?.organizationalUnits ?? [];
  const active = (organization?.accounts ?? []).filter((x) => x.status === 'ACTIVE');
  const unresolved = (at: Loc, what: string, into: TargetAccount[], one = false): void => {
    result.unresolved.push({ at, what, ...(one ? { one: true as const } : {}) });
    const via = `${what} (not resolved: no organization data)`;
    for (const accountId of declared) into.push({ accountId, at, via });
  };
  for (const account of a.accounts) {
    const accountId = listedId(account.value, aliases);
    if (accountId) result.accounts.push({ accountId, at: account.at });
    else if (account.invalid) continue;
    else if (!known)
      unresolved(account.at, `the account named ${quote(account.value)}`, result.possible, true);
    else {
      const named = accountNamed(account, known);
      if (typeof named === 'string') result.accounts.push({ accountId: named, at: account.at });
      else result.missing.push(named);
    }
  }
  for (const ou of organizationalUnits) {
    if (!known) {
      unresolved(ou.at, `OU ${ou.value}${recursive ? ' and its child OUs' : ''}`, result.possible);
      continue;
    }
    const found = findOu(ou.value, known);
    if (!('found' in found)) {
      result.missing.push(missingName(ou, `OU ${ou.value}`, 'ou', found));
      continue;
    }
    const parents = recursive ? subtree(found.found.id, ous) : new Set([found.found.id]);
    const via = `${ouText(found.found)}${recursive ? ' and its child OUs' : ''}`;
    for (const x of active)
      if (parents.has(x.parentId)) result.accounts.push({ accountId: x.id, at: ou.at, via });
  }
  if (accountTags) {
    const tags = accountTags.value;
    if (!known || known.accounts!.some((x) => !x.tags))
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
    if (!known) unresolved(root.at, 'the organization root', result.accounts);
    else
      for (const x of active)
        result.accounts.push({ accountId: x.id, at: root.at, via: 'the organization root' });
  }
  const excluded = excludedIds(a, aliases, known, result);
  if (excluded.size > 0) {
    const kept = (t: TargetAccount) => !excluded.has(t.accountId);
    result.accounts = result.accounts.filter(kept);
    result.possible = result.possible.filter(kept);
  }
  return result;
}

/** The account IDs `excludedAccounts` resolves to; one that names nothing is reported as missing. */
function excludedIds(
  a: AssignmentDecl,
  aliases: ReadonlyMap<string, Located>,
  organization: LiveOrganization | undefined,
  result: TargetResolution,
): Set<string> {
  const ids = new Set<string>();
  for (const entry of a.excludedAccounts) {
    const id = listedId(entry.value, aliases);
    if (id) ids.add(id);
    else if (entry.invalid || !organization) continue;
    else {
      const named = accountNamed(entry, organization);
      if (typeof named === 'string') ids.add(named);
      else result.missing.push({ ...named, excluded: true });
    }
  }
  return ids;
}

/** The ID of the one account an entry names by its account name; or, for none or several, why not. */
function accountNamed(entry: Located, organization: LiveOrganization): string | MissingTarget {
  const found = findAccountByName(entry.value, organization);
  return 'found' in found
    ? found.found.id
    : missingName(entry, `the account named ${quote(entry.value)}`, 'account', found);
}

/** An entry that names nothing, or several things: with its name for a "did you mean", unless it is an ID. */
function missingName(
  entry: Located,
  what: string,
  kind: 'ou' | 'account',
  found: Lookup<NamedOu | LiveAccount>,
): MissingTarget {
  return {
    at: entry.at,
    what,
    ...(OU_ID.test(entry.value) || ACCOUNT_ID.test(entry.value)
      ? {}
      : { name: { kind, value: entry.value } }),
    ...('ambiguous' in found ? { ambiguous: found.ambiguous.map(describe) } : {}),
  };
}

/** An OU or an account for a message. */
const describe = (x: NamedOu | LiveAccount): string =>
  'path' in x ? ouText(x) : `account ${x.id}${x.name ? ` (${x.name})` : ''}`;

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
