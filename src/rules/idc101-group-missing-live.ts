import { quote } from '../util/text.js';
import { liveContext } from './live-helpers.js';
import { finding, type Rule } from './types.js';

export const rule: Rule = {
  id: 'IDC101',
  needs: ['groups'],
  check(ctx) {
    const live = liveContext(ctx);
    if (!live) return [];
    return ctx.model.groups
      .filter((g) => g.source === 'idp' && !live.joined.groupByName.has(g.name.toLowerCase()))
      .map((g) =>
        finding(
          'IDC101',
          g.at,
          { kind: 'group', name: g.name },
          `group ${quote(g.name)} does not exist in the identity store: the IdP has not provisioned it. Assign it to the IdP app (in provisioning scope) and wait for a provisioning cycle, or check the provisioning logs for errors`,
        ),
      );
  },
};
