import type { Loc } from '../load/location.js';
import type { LiveOrganization } from '../live/types.js';
import {
  accountAliases,
  declaredAccounts,
  resolveTargets,
  type TargetAccount,
  usesOrganization,
  type UnresolvedTarget,
} from './targets.js';
import type { AssignmentDecl, DeclaredModel, Located } from './types.js';

/** One effective grant the declarations make: a principal gets a permission set in an account. */
export interface Grant {
  principalType: 'group' | 'user';
  principal: string;
  permissionSet: string;
  accountId: string;
  /** The account's alias from `accounts:`, when it has one. */
  accountAlias?: string;
  /** The account's name in AWS Organizations, when the organization was read: for a reader only. */
  accountName?: string;
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
  options: { possible?: boolean; only?: readonly AssignmentDecl[]; declared?: readonly string[] } = {},
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
  options: { possible?: boolean; only?: readonly AssignmentDecl[]; declared?: readonly string[] },
): Grant[] {
  const context = grantContext(model, organization, options);
  const grants = new Map<string, Grant>();
  const maybe: KeyedGrant[] = [];
  for (const a of options.only ?? model.assignments) {
    for (const keyed of assignmentGrants(a, context)) {
      if (keyed.grant.resolved === false) maybe.push(keyed);
      else if (!grants.has(keyed.key)) grants.set(keyed.key, keyed.grant);
    }
  }
  // A grant that is certain elsewhere is not also a "may grant".
  for (const { key, grant } of maybe) if (!grants.has(key)) grants.set(key, grant);
  return [...grants.values()];
}

interface KeyedGrant {
  grant: Grant;
  key: string;
}

/**
 * What an assignment's grants depend on besides the assignment: the account aliases (to resolve and to name
 * accounts) and, for an OU, tag or root target, the organization and the declared accounts. Each context is
 * a small number, equal for equal contexts, so that an assignment's grants are worked out once per context.
 */
interface GrantContext {
  aliases: ReadonlyMap<string, Located>;
  aliasOf: ReadonlyMap<string, string>;
  organization?: LiveOrganization;
  declared: () => readonly string[];
  possible: boolean;
  /** For an assignment to listed accounts only, and for one with organization targets. */
  listedId: number;
  targetedId: () => number;
}

function grantContext(
  model: DeclaredModel,
  organization: LiveOrganization | undefined,
  options: { possible?: boolean; declared?: readonly string[] },
): GrantContext {
  const aliases = model.instance?.accounts ?? NO_ALIASES;
  const aliasOf = accountAliases(model);
  const possible = options.possible === true;
  let declared = options.declared;
  const declaredOnce = () => (declared ??= declaredAccounts(model));
  // The organization names the accounts, so even a grant to listed accounts depends on it.
  const listed = `${objectId(aliases)}\u0000${[...aliasOf].join(';')}\u0000${possible}\u0000${objectId(organization)}`;
  let targetedId: number | undefined;
  return {
    aliases,
    aliasOf,
    organization,
    declared: declaredOnce,
    possible,
    listedId: contextId(listed),
    targetedId: () =>
      (targetedId ??= contextId(`${listed}\u0000${objectId(organization)}\u0000${declaredOnce().join()}`)),
  };
}

const NO_ALIASES: ReadonlyMap<string, Located> = new Map();

/**
 * An assignment's grants, by assignment object: a pull request's base and head share the entities of the
 * files they both hold (model/build.ts), so the head works out only the grants of what changed.
 */
const grantsByAssignment = new WeakMap<AssignmentDecl, { context: number; grants: KeyedGrant[] }>();

function assignmentGrants(a: AssignmentDecl, context: GrantContext): KeyedGrant[] {
  const targeted = usesOrganization(a, context.aliases);
  const id = targeted ? context.targetedId() : context.listedId;
  const known = grantsByAssignment.get(a);
  if (known?.context === id) return known.grants;
  const resolution = resolveTargets(
    a,
    context.aliases,
    context.organization,
    targeted ? context.declared() : [],
  );
  const grants: KeyedGrant[] = [];
  const add = ({ accountId, at, via }: TargetAccount, resolved: boolean) => {
    const grant: Grant = {
      principalType: a.principalType,
      principal: a.principal.value,
      permissionSet: a.permissionSet.value,
      accountId,
      accountAlias: context.aliasOf.get(accountId),
      ...nameOf(context.organization, accountId),
      at,
      ...(via ? { via } : {}),
      ...(resolved ? {} : { resolved: false as const }),
    };
    grants.push({ grant, key: grantKey(grant) });
  };
  for (const target of resolution.accounts) add(target, true);
  if (context.possible) for (const target of resolution.possible) add(target, false);
  grantsByAssignment.set(a, { context: id, grants });
  return grants;
}

/** `{ accountName }` of an account the organization names, else nothing. */
function nameOf(organization: LiveOrganization | undefined, accountId: string): { accountName?: string } {
  if (!organization?.accounts) return {};
  let names = accountNames.get(organization);
  if (!names) {
    names = new Map(organization.accounts.flatMap((a) => (a.name ? [[a.id, a.name]] : [])));
    accountNames.set(organization, names);
  }
  const accountName = names.get(accountId);
  return accountName === undefined ? {} : { accountName };
}

const accountNames = new WeakMap<LiveOrganization, Map<string, string>>();

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
const objectId = (o: object | undefined): number => {
  if (!o) return 0;
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
};

/** Context texts to numbers; a process meets few contexts, and the map is emptied before it could grow. */
const contextIds = new Map<string, number>();
let nextContextId = 1;
function contextId(text: string): number {
  if (contextIds.size > 1000) contextIds.clear();
  let id = contextIds.get(text);
  if (id === undefined) contextIds.set(text, (id = nextContextId++));
  return id;
}

/** The assignments whose OU, tag, root or account-name targets the organization data does not resolve. */
export function unresolvedGrantsOf(model: DeclaredModel, organization?: LiveOrganization): UnresolvedGrant[] {
  const aliases = model.instance?.accounts ?? new Map();
  const targeted = model.assignments.filter((a) => usesOrganization(a, aliases));
  return targeted.flatMap((a) =>
    resolveTargets(a, aliases, organization).unresolved.map((target) => ({
      principalType: a.principalType,
      principal: a.principal.value,
      permissionSet: a.permissionSet.value,
      target,
    })),
  );
}
