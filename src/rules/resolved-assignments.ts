import type { LiveLookup } from '../live/live-lookup.js';
import type { LivePermissionSet } from '../live/types.js';
import { declaredAccounts, resolveTargets } from '../model/targets.js';
import type { AssignmentDecl, DeclaredModel, Located } from '../model/types.js';

/** The identity of one live assignment: account, permission set ARN, principal type and ID. */
export const liveAssignmentKey = (
  accountId: string,
  permissionSetArn: string,
  principalType: string,
  principalId: string,
): string => `${accountId}|${permissionSetArn}|${principalType.toUpperCase()}|${principalId}`;

/** One declared assignment resolved against the live state, in one account. */
export interface ResolvedAssignment {
  assignment: AssignmentDecl;
  account: Located;
  accountId: string;
  /** The OU, tags or root the account comes through, when it is not listed itself. */
  via?: string;
  permissionSet: LivePermissionSet;
  /** Its liveAssignmentKey: the live assignment that would be it. */
  key: string;
}

/** The declared assignments, one per account, whose principal and permission set exist live. */
export function resolvedAssignments(model: DeclaredModel, lookup: LiveLookup): ResolvedAssignment[] {
  const resolved: ResolvedAssignment[] = [];
  const aliases = model.instance?.accounts ?? new Map<string, Located>();
  const declared = declaredAccounts(model);
  for (const a of model.assignments) {
    const name = a.principal.value.toLowerCase();
    const principal =
      a.principalType === 'group' ? lookup.groupByName.get(name) : lookup.userByName.get(name);
    const principalId = principal && ('groupId' in principal ? principal.groupId : principal.userId);
    const permissionSet = lookup.permissionSetByName.get(a.permissionSet.value);
    if (!principalId || !permissionSet) continue;
    const { accounts } = resolveTargets(a, aliases, lookup.live.organization, declared);
    for (const { accountId, at, via } of accounts) {
      resolved.push({
        assignment: a,
        account: { value: accountId, at },
        accountId,
        ...(via ? { via } : {}),
        permissionSet,
        key: liveAssignmentKey(accountId, permissionSet.arn, a.principalType, principalId),
      });
    }
  }
  return resolved;
}
