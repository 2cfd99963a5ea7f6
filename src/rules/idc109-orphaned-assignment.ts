import { quote } from '../util/text.js';
import { assignmentEntity, fallbackLoc, permissionSetNameLoc } from './shared.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule(
  { id: 'IDC109', needs: ['groups', 'users', 'assignments'] },
  (ctx, finding) => {
    // Only a read of every group, user and assignment can tell that a principal is gone.
    if (ctx.lookup.live.complete.assignments !== 'all') return [];
    const { lookup } = ctx;
    return lookup.live.assignments.flatMap((a) => {
      const exists =
        a.principalType === 'GROUP'
          ? lookup.groupById.has(a.principalId)
          : lookup.userById.has(a.principalId);
      if (exists) return [];
      const psName = lookup.permissionSetName(a.permissionSetArn) ?? a.permissionSetArn;
      const at = permissionSetNameLoc(ctx.model, psName) ?? fallbackLoc(ctx.model);
      return [
        finding(
          at,
          assignmentEntity(a.principalType, a.principalId, psName, a.accountId),
          `Identity Center assigns ${quote(psName)} in ${lookup.accountLabel(a.accountId)} to ` +
            `${a.principalType.toLowerCase()} ${a.principalId}, which no longer exists (deleted, or ` +
            `re-created under a new ID): remove this assignment and re-create it for the current ` +
            `principal`,
        ),
      ];
    });
  },
);
