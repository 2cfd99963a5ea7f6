import type { RawFinding } from '../findings/types.js';
import { quote } from '../util/text.js';
import { assignedGroupNames, declaredGroups, liveContext } from './live-helpers.js';
import { finding, type Rule } from './types.js';

const REQUIRED = ['displayName', 'givenName', 'familyName', 'email'] as const;

export const rule: Rule = {
  id: 'IDC104',
  needs: ['groups', 'memberships', 'users'],
  check(ctx) {
    const live = liveContext(ctx);
    if (!live) return [];
    const out: RawFinding[] = [];
    const declared = declaredGroups(ctx.model);
    for (const name of assignedGroupNames(ctx.model)) {
      const group = live.joined.groupByName.get(name);
      const decl = declared.get(name);
      const at =
        decl?.at ?? ctx.model.assignments.find((a) => a.principal.value.toLowerCase() === name)!.principal.at;
      for (const userId of group?.memberUserIds ?? []) {
        const user = live.joined.userById.get(userId);
        if (!user) continue;
        const missing = REQUIRED.filter((f) => !(user[f] ?? '').trim());
        const problems = [
          ...(user.active === false ? ['is disabled'] : []),
          ...(missing.length ? [`has no ${missing.join(', ')}`] : []),
        ];
        if (problems.length === 0) continue;
        out.push(
          finding(
            'IDC104',
            at,
            { kind: 'user', name: user.userName },
            `member ${quote(user.userName)} of group ${quote(group!.displayName)} ${problems.join(' and ')}, so the group's access does not work for this user; fix the user at the IdP`,
            { detail: group!.displayName },
          ),
        );
      }
    }
    return out;
  },
};
