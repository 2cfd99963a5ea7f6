import type { Loc } from '../load/location.js';
import type { LiveOrganization } from '../live/types.js';
import { own } from '../util/own.js';
import type { AssignmentDecl, DeclaredModel, Located } from './types.js';

/** One account an assignment grants in, with where it is written and, for an Organizations target, through what. */
export interface TargetAccount {
  accountId: string;
  at: Loc;
  /** "OU Workloads (ou-abcd-12345678)", "tags env=prod", "the organization root"; absent for a listed account. */
  via?: string;
}

/** An Organizations target that names nothing in the organization. */
export interface MissingTarget {
  at: Loc;
  /** What is missing, for a message: `OU ou-abcd-12345678`, `an account tagged env=prod`. */
  what: string;
}

export interface TargetResolution {
  accounts: TargetAccount[];
  /** OU, tag and root targets that could not be resolved: no organization data. Never guessed. */
  unresolved: Loc[];
  missing: MissingTarget[];
}

const tagText = (tags: Record<string, string>): string =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/**
 * The accounts an assignment grants in: its listed accounts (IDs, and aliases from `accounts:`), and the
 * active accounts its OU, tag and root targets name in the organization. Without the organization's
 * structure (or, for tags, its tags) those targets are unresolved, not guessed.
 */
export function resolveTargets(
  a: AssignmentDecl,
  aliases: ReadonlyMap<string, Located>,
  organization: LiveOrganization | undefined,
): TargetResolution {
  const result: TargetResolution = { accounts: [], unresolved: [], missing: [] };
  for (const account of a.accounts) {
    const accountId = /^\d{12}$/.test(account.value) ? account.value : aliases.get(account.value)?.value;
    if (accountId) result.accounts.push({ accountId, at: account.at });
  }
  const { organizationalUnits, recursive, accountTags, root } = a.targets;
  if (organizationalUnits.length === 0 && !accountTags && !root) return result;
  const accounts = organization?.accounts;
  const ous = organization?.organizationalUnits ?? [];
  const active = (accounts ?? []).filter((x) => x.status === 'ACTIVE');
  for (const ou of organizationalUnits) {
    if (!accounts) {
      result.unresolved.push(ou.at);
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
    if (!accounts || accounts.some((x) => !x.tags)) result.unresolved.push(accountTags.at);
    else {
      const matching = active.filter((x) => Object.entries(tags).every(([k, v]) => own(x.tags, k) === v));
      if (matching.length === 0)
        result.missing.push({ at: accountTags.at, what: `an account tagged ${tagText(tags)}` });
      for (const x of matching)
        result.accounts.push({ accountId: x.id, at: accountTags.at, via: `tags ${tagText(tags)}` });
    }
  }
  if (root) {
    if (!accounts) result.unresolved.push(root.at);
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
