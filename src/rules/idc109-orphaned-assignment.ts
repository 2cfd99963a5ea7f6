import { quote } from '../util/text.js';
import { assignmentEntity, fallbackLoc, permissionSetNameLoc } from './shared.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule(
  { id: 'IDC109', needs: ['groups', 'users', 'assignments'] },
  (ctx, finding) => {
    // Only a read of every group, user and assignment can tell that a principal is gone.
    if (ctx.joined.live.complete.assignments !== 'all') return [];
    const { joined } = ctx;
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
          at,
          assignmentEntity(a.principalType, a.principalId, psName, a.accountId),
          `Identity Center assigns ${quote(psName)} in ${joined.accountLabel(a.accountId)} to ` +
            `${a.principalType.toLowerCase()} ${a.principalId}, which no longer exists (deleted, or ` +
            `re-created under a new ID): remove this assignment and re-create it for the current ` +
            `principal`,
        ),
      ];
    });
  },
);
