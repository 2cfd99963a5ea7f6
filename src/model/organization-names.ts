import type { LiveAccount, LiveOrganization } from '../live/types.js';

/**
 * OUs and accounts by the names people write: OU IDs, paths from the root (`Workloads/Production`,
 * `Root/Workloads`), bare OU names, and account names. OU names are unique only among siblings and account
 * names not at all, so a name that fits several is refused, never picked.
 */

/** The organization root's name in AWS Organizations: Landing Zone Accelerator writes `Root` for it. */
export const ROOT_NAME = 'Root';

export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ACCOUNT_ID = /^\d{12}$/;

export interface NamedOu {
  id: string;
  /** From the root, without it: `Workloads/Production`; the root itself is `Root`. */
  path: string;
}

export type Lookup<T> =
  | { found: T }
  | { missing: true }
  /** Several fit: the name is refused. */
  | { ambiguous: T[] };

interface OrganizationIndex {
  ouById: Map<string, NamedOu>;
  ouByPath: Map<string, NamedOu>;
  ousByName: Map<string, NamedOu[]>;
  accountsByName: Map<string, LiveAccount[]>;
}

/** One index per organization: it is not changed once read. */
const indexes = new WeakMap<LiveOrganization, OrganizationIndex>();

function indexOf(organization: LiveOrganization): OrganizationIndex {
  const known = indexes.get(organization);
  if (known) return known;
  const ous = organization.organizationalUnits ?? [];
  const byId = new Map(ous.map((ou) => [ou.id, ou]));
  const paths = new Map<string, string>();
  // Iterative, with a guard: a hand-written snapshot may hold a cycle.
  const pathOf = (id: string): string => {
    const chain: string[] = [];
    const seen = new Set<string>();
    let at = byId.get(id);
    while (at && !seen.has(at.id)) {
      const known = paths.get(at.id);
      if (known !== undefined) {
        chain.push(known);
        break;
      }
      seen.add(at.id);
      chain.push(at.name);
      at = byId.get(at.parentId);
    }
    return chain.reverse().join('/');
  };
  const index: OrganizationIndex = {
    ouById: new Map(),
    ouByPath: new Map(),
    ousByName: new Map(),
    accountsByName: new Map(),
  };
  if (organization.rootId) {
    const root = { id: organization.rootId, path: ROOT_NAME };
    index.ouById.set(root.id, root);
    index.ouByPath.set(ROOT_NAME, root);
  }
  for (const ou of ous) {
    const path = pathOf(ou.id);
    paths.set(ou.id, path);
    const named = { id: ou.id, path };
    index.ouById.set(ou.id, named);
    if (!index.ouByPath.has(path)) index.ouByPath.set(path, named);
    index.ousByName.set(ou.name, [...(index.ousByName.get(ou.name) ?? []), named]);
  }
  for (const account of organization.accounts ?? []) {
    if (account.name === undefined) continue;
    index.accountsByName.set(account.name, [...(index.accountsByName.get(account.name) ?? []), account]);
  }
  indexes.set(organization, index);
  return index;
}

/**
 * The OU (or the root) an `organizationalUnits` entry names: an ID, `Root`, a path with `/` (from the root,
 * with or without a leading `Root/`), or a bare name, which must fit exactly one OU.
 */
export function findOu(value: string, organization: LiveOrganization): Lookup<NamedOu> {
  const index = indexOf(organization);
  if (OU_ID.test(value) || value === organization.rootId) return one(index.ouById.get(value));
  if (value === ROOT_NAME) return one(index.ouByPath.get(ROOT_NAME));
  const path = value.startsWith(`${ROOT_NAME}/`) ? value.slice(ROOT_NAME.length + 1) : value;
  if (path.includes('/') || value !== path) return one(index.ouByPath.get(path));
  return several(index.ousByName.get(path) ?? []);
}

/** The account an account name names; several accounts may share a name. */
export function findAccountByName(value: string, organization: LiveOrganization): Lookup<LiveAccount> {
  return several(indexOf(organization).accountsByName.get(value) ?? []);
}

/** Every OU path and account name, for a "did you mean". */
export function organizationNames(organization: LiveOrganization): { ouPaths: string[]; accounts: string[] } {
  const index = indexOf(organization);
  return { ouPaths: [...index.ouByPath.keys()], accounts: [...index.accountsByName.keys()] };
}

/** An OU's path and ID for a message: `OU Workloads/Production (ou-abcd-12345678)`. */
export function ouText(ou: NamedOu): string {
  return ou.path === ROOT_NAME ? `the organization root (${ou.id})` : `OU ${ou.path} (${ou.id})`;
}

const one = <T>(found: T | undefined): Lookup<T> => (found ? { found } : { missing: true });

const several = <T>(found: T[]): Lookup<T> =>
  found.length === 1 ? { found: found[0] } : found.length === 0 ? { missing: true } : { ambiguous: found };
