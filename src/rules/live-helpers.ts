import { childLoc, type Loc } from '../load/location.js';
import type { Joined } from '../live/join.js';
import type { LivePermissionSet } from '../live/types.js';
import { declaredAccounts, resolveTargets } from '../model/targets.js';
import type { AssignmentDecl, DeclaredModel, GroupDecl, Located } from '../model/types.js';
import type { RuleContext } from './types.js';

/** Live rules run only with live state; this narrows the context for them. */
export function liveContext(ctx: RuleContext): (RuleContext & { joined: Joined }) | undefined {
  return ctx.joined ? (ctx as RuleContext & { joined: Joined }) : undefined;
}

/**
 * Where a live finding about something nobody declared points: the IdentityCenter document, or else the first
 * Assignments document, so the finding still has a file and line that a reviewer can open.
 */
export function fallbackLoc(model: DeclaredModel): Loc {
  return (
    model.instance?.at ??
    model.assignments[0]?.at ??
    model.groups[0]?.at ??
    model.permissionSets[0]?.at ?? { file: '.idc-guard.yml', line: 1, column: 1 }
  );
}

/** The `name:` line of the declared permission set of that name, if it is declared. */
export function permissionSetNameLoc(model: DeclaredModel, name: string): Loc | undefined {
  const decl = model.permissionSets.find((p) => p.name === name);
  return decl && childLoc(decl.at, 'name');
}

/** Declared groups by lower-cased name (the first declaration wins; IDC003 reports the rest). */
export function declaredGroups(model: DeclaredModel): Map<string, GroupDecl> {
  const byName = new Map<string, GroupDecl>();
  for (const g of model.groups) if (!byName.has(g.name.toLowerCase())) byName.set(g.name.toLowerCase(), g);
  return byName;
}

/** The names of the groups used in assignments, lower-cased. */
export function assignedGroupNames(model: DeclaredModel): Set<string> {
  return new Set(
    model.assignments.filter((a) => a.principalType === 'group').map((a) => a.principal.value.toLowerCase()),
  );
}

/** The identity of one assignment: account, permission set, principal. */
export const assignmentKey = (
  accountId: string,
  permissionSetArn: string,
  principalType: string,
  principalId: string,
): string => `${accountId}|${permissionSetArn}|${principalType.toUpperCase()}|${principalId}`;

/** One declared assignment resolved against the live state: only tuples whose principal and permission set exist live. */
export interface ResolvedTuple {
  assignment: AssignmentDecl;
  account: Located;
  accountId: string;
  /** The OU, tags or root the account comes through, when it is not listed itself. */
  via?: string;
  permissionSet: LivePermissionSet;
  key: string;
}

export function resolvedTuples(model: DeclaredModel, joined: Joined): ResolvedTuple[] {
  const tuples: ResolvedTuple[] = [];
  const aliases = model.instance?.accounts ?? new Map<string, Located>();
  const declared = declaredAccounts(model);
  for (const a of model.assignments) {
    const name = a.principal.value.toLowerCase();
    const principal =
      a.principalType === 'group' ? joined.groupByName.get(name) : joined.userByName.get(name);
    const principalId = principal && ('groupId' in principal ? principal.groupId : principal.userId);
    const permissionSet = joined.permissionSetByName.get(a.permissionSet.value);
    if (!principalId || !permissionSet) continue;
    for (const { accountId, at, via } of resolveTargets(a, aliases, joined.live.organization, declared)
      .accounts) {
      tuples.push({
        assignment: a,
        account: { value: accountId, at },
        accountId,
        ...(via ? { via } : {}),
        permissionSet,
        key: assignmentKey(accountId, permissionSet.arn, a.principalType, principalId),
      });
    }
  }
  return tuples;
}
