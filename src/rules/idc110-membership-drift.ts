import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { isPartInvalid } from '../model/values.js';
import { quote } from '../util/text.js';
import { duplicatesIgnoringCase } from './shared.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule(
  { id: 'IDC110', needs: ['groups', 'memberships', 'users'] },
  (ctx, finding) => {
    const out: RawFinding[] = [];
    // A name declared twice (IDC003) has two member lists: which one is meant is IDC003's question, and
    // comparing either with the live group would only repeat it.
    const twice = new Set(
      duplicatesIgnoringCase(ctx.model.groups, (g) => g.name).map((d) => d.first.name.toLowerCase()),
    );
    for (const g of ctx.model.groups) {
      if (isPartInvalid(g, 'members') || g.memberUsers.length === 0 || twice.has(g.name.toLowerCase()))
        continue;
      const group = ctx.lookup.groupByName.get(g.name.toLowerCase());
      if (!group?.memberUserIds) continue;
      const liveNames = new Set(
        group.memberUserIds.flatMap((id) => ctx.lookup.userById.get(id)?.userName.toLowerCase() ?? []),
      );
      const declared = new Set(g.memberUsers.map((m) => m.value.toLowerCase()));
      const lacking = g.memberUsers.filter((m) => !liveNames.has(m.value.toLowerCase())).map((m) => m.value);
      const extra = group.memberUserIds
        .flatMap((id) => ctx.lookup.userById.get(id)?.userName ?? [])
        .filter((n) => !declared.has(n.toLowerCase()));
      if (lacking.length === 0 && extra.length === 0) continue;
      const parts = [
        ...(lacking.length
          ? [
              `lacks declared member${lacking.length > 1 ? 's' : ''} ` +
                `${lacking.map((n) => quote(n)).join(', ')}`,
            ]
          : []),
        ...(extra.length
          ? [`has undeclared member${extra.length > 1 ? 's' : ''} ${extra.map((n) => quote(n)).join(', ')}`]
          : []),
      ];
      out.push(
        finding(
          childLoc(g.at, 'members', 'users'),
          { kind: 'group', name: g.name },
          `group ${quote(g.name)} in the identity store ${parts.join(' and ')}; update the IdP group or ` +
            `the declaration so they agree`,
        ),
      );
    }
    return out;
  },
);
