import { childLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule({ id: 'IDC108', needs: ['permissionSets'] }, (ctx, finding) => {
  return ctx.model.permissionSets.flatMap((decl) => {
    const stale =
      ctx.lookup.permissionSetByName.get(decl.name)?.provisionedAccounts.filter((a) => !a.current) ?? [];
    if (stale.length === 0) return [];
    const accounts = stale.map((a) => ctx.lookup.accountLabel(a.accountId)).join(', ');
    return [
      finding(
        childLoc(decl.at, 'name'),
        { kind: 'permissionSet', name: decl.name },
        `permission set ${quote(decl.name)} was changed but not re-provisioned to ` +
          `${stale.length === 1 ? 'account' : `${stale.length} accounts`} ${accounts} ` +
          `(LATEST_PERMISSION_SET_NOT_PROVISIONED), so ` +
          `${stale.length === 1 ? 'it still grants' : 'they still grant'} the old permissions; ` +
          `re-provision it to all provisioned accounts`,
      ),
    ];
  });
});
