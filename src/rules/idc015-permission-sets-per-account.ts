import type { RawFinding } from '../findings/types.js';
import { grantsOf, type Grant } from '../model/grants.js';
import { accountLabel } from './shared.js';
import { defineRule } from './types.js';

/**
 * More permission sets assigned in one account than Identity Center provisions there (a quota). Counted from
 * the declarations, with OU, tag and root targets when the organization is known.
 */
export const rule = defineRule({ id: 'IDC015' }, ({ model, params, organization }, finding) => {
  const max = params.maxPermissionSetsPerAccount;
  const byAccount = new Map<string, Map<string, Grant>>();
  for (const g of grantsOf(model, organization)) {
    const sets = byAccount.get(g.accountId) ?? new Map<string, Grant>();
    if (!sets.has(g.permissionSet)) sets.set(g.permissionSet, g);
    byAccount.set(g.accountId, sets);
  }
  const out: RawFinding[] = [];
  for (const [accountId, sets] of byAccount) {
    if (sets.size <= max) continue;
    // At the first grant over the quota: the one whose provisioning would fail.
    const over = [...sets.values()][max];
    const label = accountLabel(accountId, over.accountAlias);
    out.push(
      finding(
        over.at!,
        { kind: 'account', name: accountId },
        `${sets.size} permission sets are assigned in account ${label}, over the quota of ${max} ` +
          `provisioned permission sets per account: provisioning ${over.permissionSet} and those after it ` +
          `fails there. Merge permission sets, or request a higher quota and set ` +
          `params.maxPermissionSetsPerAccount`,
      ),
    );
  }
  return out;
});
