import { quote } from '../util/text.js';
import { fallbackLoc, liveContext, permissionSetNameLoc } from './live-helpers.js';
import { finding, type Rule } from './types.js';

export const rule: Rule = {
  id: 'IDC109',
  needs: ['groups', 'users', 'assignments'],
  check(ctx) {
    const live = liveContext(ctx);
    // Only a read of every group, user and assignment can tell that a principal is gone.
    if (!live || live.joined.live.complete.assignments !== 'all') return [];
    const { joined } = live;
    return joined.live.assignments.flatMap((a) => {
      const exists =
        a.principalType === 'GROUP'
          ? joined.groupById.has(a.principalId)
          : joined.userById.has(a.principalId);
      if (exists) return [];
      const psName = joined.permissionSetName(a.permissionSetArn) ?? a.permissionSetArn;
      const at = permissionSetNameLoc(ctx.model, psName) ?? fallbackLoc(ctx.model);
      return [
        finding(
          'IDC109',
          at,
          {
            kind: 'assignment',
            name: `${a.principalType.toLowerCase()}:${a.principalId}|${psName}|${a.accountId}`,
          },
          `Identity Center assigns ${quote(psName)} in ${joined.accountLabel(a.accountId)} to ${a.principalType.toLowerCase()} ${a.principalId}, which no longer exists (deleted, or re-created under a new ID): remove this assignment and re-create it for the current principal`,
        ),
      ];
    });
  },
};
