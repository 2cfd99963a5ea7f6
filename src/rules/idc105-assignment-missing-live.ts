import type { RawFinding } from '../findings/types.js';
import { quote } from '../util/text.js';
import { liveContext } from './live-helpers.js';
import { finding, type Rule } from './types.js';

export const assignmentKey = (
  accountId: string,
  permissionSetArn: string,
  principalType: string,
  principalId: string,
): string => `${accountId}|${permissionSetArn}|${principalType.toUpperCase()}|${principalId}`;

export const rule: Rule = {
  id: 'IDC105',
  needs: ['groups', 'users', 'permissionSets', 'assignments'],
  check(ctx) {
    const live = liveContext(ctx);
    if (!live) return [];
    const { joined } = live;
    const existing = new Set(
      joined.live.assignments.map((a) =>
        assignmentKey(a.accountId, a.permissionSetArn, a.principalType, a.principalId),
      ),
    );
    const out: RawFinding[] = [];
    for (const a of ctx.model.assignments) {
      if (a.invalid) continue;
      const name = a.principal.value;
      const principal =
        a.principalType === 'group'
          ? joined.groupByName.get(name.toLowerCase())
          : joined.userByName.get(name.toLowerCase());
      const principalId = principal && ('groupId' in principal ? principal.groupId : principal.userId);
      const permissionSet = joined.permissionSetByName.get(a.permissionSet.value);
      // A missing principal or permission set is reported by IDC101/IDC107 (or IDC002), not once per account here.
      if (!principalId || !permissionSet) continue;
      for (const account of a.accounts) {
        const accountId = joined.accountId(account.value);
        if (
          !accountId ||
          existing.has(assignmentKey(accountId, permissionSet.arn, a.principalType, principalId))
        )
          continue;
        out.push(
          finding(
            'IDC105',
            account.at,
            { kind: 'assignment', name: `${a.principalType}:${name}|${permissionSet.name}|${accountId}` },
            `${a.principalType} ${quote(name)} should have ${quote(permissionSet.name)} in ${joined.accountLabel(accountId)}, but Identity Center has no such assignment: apply the declarations, or remove this account from the assignment`,
          ),
        );
      }
    }
    return out;
  },
};
