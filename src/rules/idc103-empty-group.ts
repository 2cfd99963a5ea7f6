import { quote } from '../util/text.js';
import { assignedGroups } from './shared.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule({ id: 'IDC103', needs: ['groups', 'memberships'] }, (ctx, finding) => {
  const seen = new Set<string>();
  // Groups assigned to accounts or to applications, each once, at its first assignment.
  return assignedGroups(ctx.model).flatMap((principal) => {
    const key = principal.value.toLowerCase();
    if (seen.has(key)) return [];
    seen.add(key);
    const group = ctx.lookup.groupByName.get(key);
    if (!group?.memberUserIds || group.memberUserIds.length > 0) return [];
    const declared = ctx.model.groups.find((g) => g.name.toLowerCase() === key);
    return [
      finding(
        declared?.at ?? principal.at,
        { kind: 'group', name: principal.value },
        `group ${quote(principal.value)} is assigned but has no members in the identity store, so its ` +
          `assignments grant nothing. Add members at the IdP (nested groups do not count), or remove the ` +
          `assignments`,
      ),
    ];
  });
});
