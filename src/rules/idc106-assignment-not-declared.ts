import type { RawFinding } from '../findings/types.js';
import { quote } from '../util/text.js';
import { resolveTargets } from '../model/targets.js';
import { liveAssignmentKey, resolvedAssignments } from './resolved-assignments.js';
import { assignmentEntity, declaredGroups, fallbackLoc, permissionSetNameLoc } from './shared.js';
import { defineLiveRule, type LiveRuleContext } from './types.js';
import type { Loc } from '../load/location.js';

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
    const misnamed = misnamedPermissionSets(ctx);
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
      // A declared assignment of this principal and account that names no permission set (IDC002) is most
      // likely this one, misspelt: the finding says so, at that name, where the fix is.
      const typo = misnamed.get(`${group ? 'group' : 'user'}|${principal.toLowerCase()}|${a.accountId}`);
      if (typo) {
        out.push(
          finding(
            typo.at,
            assignmentEntity(a.principalType, principal, permissionSet.name, a.accountId),
            `${who} has ${quote(permissionSet.name)} in ${lookup.accountLabel(a.accountId)} in Identity ` +
              `Center, and the assignment here names ${quote(typo.name)}, which is no permission set ` +
              `(IDC002): if it means ${quote(permissionSet.name)}, correcting the name declares this one too`,
          ),
        );
        continue;
      }
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

/**
 * The declared assignments whose permission set is neither declared nor live, by principal and account:
 * `group|name|account` to the name as written and where it is.
 */
function misnamedPermissionSets(ctx: LiveRuleContext): Map<string, { name: string; at: Loc }> {
  const { model, lookup } = ctx;
  const known = new Set([
    ...model.permissionSets.map((p) => p.name),
    ...lookup.live.permissionSets.map((p) => p.name),
  ]);
  const misnamed = new Map<string, { name: string; at: Loc }>();
  for (const d of model.assignments) {
    if (known.has(d.permissionSet.value)) continue;
    for (const account of d.accounts) {
      const id = lookup.accountId(account.value);
      const key = `${d.principalType}|${d.principal.value.toLowerCase()}|${id}`;
      if (id && !misnamed.has(key))
        misnamed.set(key, { name: d.permissionSet.value, at: d.permissionSet.at });
    }
  }
  return misnamed;
}
