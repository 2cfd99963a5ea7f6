import type { LiveOrganization, LivePermissionSet, LiveState } from '../live/types.js';
import { grantKey, grantsOf, type Grant } from '../model/grants.js';
import type { DeclaredModel, PermissionSetDecl } from '../model/types.js';
import { asFields, asList, asString } from '../model/untrusted.js';
import type { AccessDiff, GrantRisk } from './access-diff.js';

/**
 * AWS managed policies that grant administrator-like power: everything, everything but IAM and
 * Organizations, or IAM itself (which can grant the rest).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
 */
const PRIVILEGED_MANAGED_POLICIES = new Map([
  ['arn:aws:iam::aws:policy/AdministratorAccess', 'AWS managed AdministratorAccess'],
  ['arn:aws:iam::aws:policy/PowerUserAccess', 'AWS managed PowerUserAccess'],
  ['arn:aws:iam::aws:policy/IAMFullAccess', 'AWS managed IAMFullAccess'],
]);

/**
 * Why a permission set is privileged, or undefined. A set declared `administrator: true` says so itself; an
 * AWS managed administrator policy, or an inline statement allowing `*`, `iam:*` or NotAction, grants it.
 */
export function privilegeOf(ps: PermissionSetDecl | LivePermissionSet | undefined): string | undefined {
  if (!ps) return undefined;
  if ('written' in ps && ps.written.administrator === true) return 'marked administrator: true';
  const managed = ps.managedPolicies.map((p) => (typeof p === 'string' ? p : p.value));
  for (const arn of managed) {
    const why = PRIVILEGED_MANAGED_POLICIES.get(arn);
    if (why) return why;
  }
  const inline = inlineDocument(ps);
  return inline === undefined ? undefined : broadStatement(inline);
}

function inlineDocument(ps: PermissionSetDecl | LivePermissionSet): unknown {
  const policy = ps.inlinePolicy;
  if (policy === undefined) return undefined;
  const text = typeof policy === 'string' ? policy : policy.kind === 'file' ? policy.text : undefined;
  if (typeof policy === 'object' && policy.kind === 'document') return policy.document;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** "inline policy allows iam:*", when an Allow statement grants all actions, all of IAM, or all but some. */
function broadStatement(document: unknown): string | undefined {
  const statements = asFields(document)?.Statement;
  for (const s of Array.isArray(statements) ? (statements as unknown[]) : [statements]) {
    const fields = asFields(s);
    if (!fields || asString(fields.Effect) !== 'Allow') continue;
    if (fields.NotAction !== undefined) return 'inline policy allows NotAction';
    const actions = typeof fields.Action === 'string' ? [fields.Action] : asList(fields.Action);
    for (const action of actions) {
      const a = typeof action === 'string' ? action.toLowerCase() : '';
      if (a === '*' || a === '*:*' || a === 'iam:*') return `inline policy allows ${a}`;
    }
  }
  return undefined;
}

export interface RiskContext {
  base: DeclaredModel;
  head: DeclaredModel;
  live?: LiveState;
  /** A case-insensitive regular expression matched against account aliases and names. */
  productionPattern: string;
}

/**
 * What is risky about each grant the change adds or removes, by grantKey. An added grant is judged by the
 * head's permission set, a removed one by the base's; one defined outside Git by what live state holds.
 */
export function accessRisk(diff: AccessDiff, context: RiskContext): Map<string, GrantRisk> {
  const production = productionAccounts(context, [...diff.added, ...diff.removed]);
  const liveSets = new Map(context.live?.permissionSets.map((p) => [p.name, p]) ?? []);
  const privilege = (model: DeclaredModel) => {
    const memo = new Map<string, string | undefined>();
    return (name: string): string | undefined => {
      if (!memo.has(name)) {
        const declared = model.permissionSets.find((p) => p.name === name && !p.managedBy);
        memo.set(name, privilegeOf(declared ?? liveSets.get(name)));
      }
      return memo.get(name);
    };
  };
  const risks = new Map<string, GrantRisk>();
  const judge = (grants: Grant[], privileged: (name: string) => string | undefined) => {
    for (const g of grants) {
      const why = privileged(g.permissionSet);
      risks.set(grantKey(g), {
        ...(why ? { privileged: why } : {}),
        ...(g.principalType === 'user' ? { singleUser: true } : {}),
        ...(production.has(g.accountId) ? { production: true } : {}),
      });
    }
  };
  judge(diff.added, privilege(context.head));
  judge(diff.removed, privilege(context.base));
  return risks;
}

/**
 * The permission sets both sides define in Git that the head makes privileged and the base did not: the
 * grants they already have change power without a line of the grant diff changing.
 */
export function newlyPrivileged(context: RiskContext): NonNullable<AccessDiff['newlyPrivileged']> {
  const before = new Map(context.base.permissionSets.filter((p) => !p.managedBy).map((p) => [p.name, p]));
  const changes: NonNullable<AccessDiff['newlyPrivileged']> = [];
  const seen = new Set<string>();
  for (const ps of context.head.permissionSets) {
    const was = before.get(ps.name);
    if (!was || ps.managedBy || seen.has(ps.name) || privilegeOf(was)) continue;
    seen.add(ps.name);
    const why = privilegeOf(ps);
    if (!why) continue;
    const grants = grantsOf(context.head, context.live?.organization).filter(
      (g) => g.permissionSet === ps.name,
    );
    changes.push({ permissionSet: ps.name, why, grants: grants.length });
  }
  return changes;
}

/** The IDs of the accounts whose alias (on either side) or Organizations name matches the pattern. */
function productionAccounts(context: RiskContext, grants: Grant[]): Set<string> {
  const pattern = new RegExp(context.productionPattern, 'i');
  const names = accountNames(context.live?.organization);
  const ids = new Set<string>();
  for (const g of grants) {
    const labels = [g.accountAlias, names.get(g.accountId)];
    if (labels.some((l) => l !== undefined && pattern.test(l))) ids.add(g.accountId);
  }
  return ids;
}

function accountNames(organization: LiveOrganization | undefined): Map<string, string> {
  return new Map((organization?.accounts ?? []).flatMap((a) => (a.name ? [[a.id, a.name] as const] : [])));
}
