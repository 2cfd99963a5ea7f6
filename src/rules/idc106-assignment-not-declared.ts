import type { RawFinding } from '../findings/types.js';
import { quote } from '../util/text.js';
import { resolveTargets } from '../model/targets.js';
import { liveAssignmentKey, resolvedAssignments } from './resolved-assignments.js';
import { assignmentEntity, declaredGroups, fallbackLoc, permissionSetNameLoc } from './shared.js';
import { defineLiveRule, type LiveRuleContext } from './types.js';
import type { Loc } from '../load/location.js';
import type { DeclaredModel } from '../model/types.js';

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
        whereToDeclare(model, group ? 'group' : 'user', principal, permissionSet.name) ??
        (group && groups.get(group.displayName.toLowerCase())?.at) ??
        (user && model.users.find((u) => u.userName?.toLowerCase() === user.userName.toLowerCase())?.at) ??
        permissionSetNameLoc(model, permissionSet.name) ??
        fallbackLoc(model);
      const account = lookup.accountLabel(a.accountId);
      out.push(
        finding(
          at,
          assignmentEntity(a.principalType, principal, permissionSet.name, a.accountId),
          `${who} has ${quote(permissionSet.name)} in ${account} in Identity ` +
            `Center, but no declaration grants it (made in the console?): declare it in an Assignments ` +
            `document, or remove it in Identity Center`,
          {
            group: {
              heading:
                `${who} has assignments in Identity Center that no declaration grants (made in the ` +
                `console?): declare them in an Assignments document, or remove them in Identity Center`,
              item: `${quote(permissionSet.name)} in ${account}`,
            },
          },
        ),
      );
    }
    return out;
  },
);

/**
 * Where a user would declare a live assignment: beside the principal's own declared assignment of that
 * permission set, or any of the principal's, or one of the same permission set, or the first declared one.
 * Undefined when no Assignments document declares anything.
 */
function whereToDeclare(
  model: DeclaredModel,
  principalType: 'group' | 'user',
  principal: string,
  permissionSet: string,
): Loc | undefined {
  const name = principal.toLowerCase();
  const own = model.assignments.filter(
    (d) => d.principalType === principalType && d.principal.value.toLowerCase() === name,
  );
  return (
    own.find((d) => d.permissionSet.value === permissionSet)?.at ??
    own[0]?.at ??
    model.assignments.find((d) => d.permissionSet.value === permissionSet)?.at ??
    model.assignments[0]?.at
  );
}

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
