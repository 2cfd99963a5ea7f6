import type { RawFinding } from '../findings/types.js';
import { managedByText } from '../model/managed.js';
import { quote } from '../util/text.js';
import { liveAssignmentKey, resolvedAssignments } from './resolved-assignments.js';
import { assignmentEntity } from './shared.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule(
  { id: 'IDC105', needs: ['groups', 'users', 'permissionSets', 'assignments'] },
  (ctx, finding) => {
    const { lookup } = ctx;
    const existing = new Set(
      lookup.live.assignments.map((a) =>
        liveAssignmentKey(a.accountId, a.permissionSetArn, a.principalType, a.principalId),
      ),
    );
    const out: RawFinding[] = [];
    // A missing principal or permission set is IDC101's or IDC107's (or IDC002's), not one per account here.
    for (const t of resolvedAssignments(ctx.model, lookup)) {
      if (existing.has(t.key)) continue;
      const { principalType, principal } = t.assignment;
      out.push(
        finding(
          t.account.at,
          assignmentEntity(principalType, principal.value, t.permissionSet.name, t.accountId),
          `${principalType} ${quote(principal.value)} should have ${quote(t.permissionSet.name)} in ` +
            `${lookup.accountLabel(t.accountId)}${t.via ? ` (via ${t.via})` : ''}, but Identity Center ` +
            `has no such assignment: apply the declarations, or remove this account from the assignment`,
        ),
      );
    }
    // A permission set managed elsewhere has no IDC107 to say it is missing: each assignment of it says so.
    const managed = new Map(ctx.model.permissionSets.filter((p) => p.managedBy).map((p) => [p.name, p]));
    for (const a of ctx.model.assignments) {
      const ps = managed.get(a.permissionSet.value);
      if (
        !ps?.managedBy ||
        lookup.permissionSetByName.has(ps.name) ||
        ctx.model.baseDefinedInGit?.has(ps.name)
      )
        continue;
      const { principalType, principal } = a;
      out.push(
        finding(
          a.permissionSet.at,
          assignmentEntity(principalType, principal.value, ps.name, '*'),
          `${principalType} ${quote(principal.value)} should have ${quote(ps.name)}, ` +
            `${managedByText(ps.managedBy)}, but Identity Center has no permission set of that name, so ` +
            `none of this assignment exists: create it where it is managed, or fix the name`,
        ),
      );
    }
    return out;
  },
);
