import { childLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { liveContext } from './live-helpers.js';
import { finding, type Rule } from './types.js';

export const rule: Rule = {
  id: 'IDC108',
  needs: ['permissionSets'],
  check(ctx) {
    const live = liveContext(ctx);
    if (!live) return [];
    return ctx.model.permissionSets.flatMap((decl) => {
      const stale =
        live.joined.permissionSetByName.get(decl.name)?.provisionedAccounts.filter((a) => !a.current) ?? [];
      if (stale.length === 0) return [];
      const accounts = stale.map((a) => live.joined.accountLabel(a.accountId)).join(', ');
      return [
        finding(
          'IDC108',
          childLoc(decl.at, 'name'),
          { kind: 'permissionSet', name: decl.name },
          `permission set ${quote(decl.name)} was changed but not re-provisioned to ${stale.length === 1 ? 'account' : `${stale.length} accounts`} ${accounts} (LATEST_PERMISSION_SET_NOT_PROVISIONED), so ${stale.length === 1 ? 'it still grants' : 'they still grant'} the old permissions; re-provision it to all provisioned accounts`,
        ),
      ];
    });
  },
};
