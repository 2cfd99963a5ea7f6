import type { RawFinding } from '../findings/types.js';
import { quote } from '../util/text.js';
import { resolveTargets } from '../model/targets.js';
import { liveAssignmentKey, resolvedAssignments } from './resolved-assignments.js';
import { assignmentEntity, declaredGroups, fallbackLoc, permissionSetNameLoc } from './shared.js';
import { defineLiveRule } from './types.js';

/** A principal (lower-cased name) and a permission set, across every account. */
const principalPermissionSet = (principalType: string, name: string, permissionSet: string): string =>
  `${principalType}|${name.toLowerCase()}|${permissionSet}`;

export const rule = defineLiveRule(
  {
    id: 'IDC106',
    needs: ['groups', 'users', 'permissionSets', 'assignments'],
    // Aliases (IdentityCenter) and assignments: a live assignment is "undeclared" only if all of them loaded.
    needsCompleteDeclarations: ['Assignments', 'IdentityCenter'],
  },
  (ctx, finding) => {
    const { lookup, model } = ctx;
    const declared = new Set(resolvedAssignments(model, lookup).map((t) => t.key));
    // An assignment whose OU, tag or root target is unresolved may grant any account: none of its
    // principal's live assignments of that permission set is called undeclared.
    const aliases = model.instance?.accounts ?? new Map();
    const uncertain = new Set(
      model.assignments
        .filter((d) => resolveTargets(d, aliases, lookup.live.organization).unresolved.length > 0)
        .map((d) => principalPermissionSet(d.principalType, d.principal.value, d.permissionSet.value)),
    );
    const groups = declaredGroups(model);
    const out: RawFinding[] = [];
    for (const a of lookup.live.assignments) {
      if (declared.has(liveAssignmentKey(a.accountId, a.permissionSetArn, a.principalType, a.principalId)))
        continue;
      const group = a.principalType === 'GROUP' ? lookup.groupById.get(a.principalId) : undefined;
      const user = a.principalType === 'USER' ? lookup.userById.get(a.principalId) : undefined;
      // An undeclared permission set is named too, by its ARN when even its name could not be read.
      const permissionSet = { name: lookup.permissionSetName(a.permissionSetArn) ?? a.permissionSetArn };
      // An assignment whose principal no longer exists is IDC109's.
      if (!group && !user) continue;
      const principal = group?.displayName ?? user!.userName;
      if (uncertain.has(principalPermissionSet(group ? 'group' : 'user', principal, permissionSet.name)))
        continue;
      const who = group ? `group ${quote(group.displayName)}` : `user ${quote(user!.userName)}`;
      const at =
        (group && groups.get(group.displayName.toLowerCase())?.at) ??
        (user && model.users.find((u) => u.userName?.toLowerCase() === user.userName.toLowerCase())?.at) ??
        permissionSetNameLoc(model, permissionSet.name) ??
        fallbackLoc(model);
      out.push(
        finding(
          at,
          assignmentEntity(a.principalType, principal, permissionSet.name, a.accountId),
          `${who} has ${quote(permissionSet.name)} in ${lookup.accountLabel(a.accountId)} in Identity ` +
            `Center, but no declaration grants it (made in the console?): declare it in an Assignments ` +
            `document, or remove it in Identity Center`,
        ),
      );
    }
    return out;
  },
);
