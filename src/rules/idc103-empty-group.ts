import { quote } from '../util/text.js';
import { assignedGroupNames } from './shared.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule({ id: 'IDC103', needs: ['groups', 'memberships'] }, (ctx, finding) => {
  const assigned = assignedGroupNames(ctx.model);
  const seen = new Set<string>();
  return ctx.model.assignments.flatMap((a) => {
    const key = a.principal.value.toLowerCase();
    if (a.principalType !== 'group' || !assigned.has(key) || seen.has(key)) return [];
    seen.add(key);
    const group = ctx.lookup.groupByName.get(key);
    if (!group?.memberUserIds || group.memberUserIds.length > 0) return [];
    const declared = ctx.model.groups.find((g) => g.name.toLowerCase() === key);
    return [
      finding(
        declared?.at ?? a.principal.at,
        { kind: 'group', name: a.principal.value },
        `group ${quote(a.principal.value)} is assigned but has no members in the identity store, so its ` +
          `assignments grant nothing. Add members at the IdP (nested groups do not count), or remove the ` +
          `assignments`,
      ),
    ];
  });
});
