import type { RawFinding } from '../findings/types.js';
import { grantsOf } from '../model/grants.js';
import { quote } from '../util/text.js';
import { finding, type Rule } from './types.js';

/** Assignments in the organization's management account, unless params allow them. */
export const rule: Rule = {
  id: 'IDC112',
  needs: ['organization'],
  check({ model, params, organization }) {
    const management = organization?.managementAccountId;
    if (!management || params.allowManagementAccountAssignments) return [];
    const out: RawFinding[] = [];
    for (const g of grantsOf(model, organization)) {
      if (g.accountId !== management) continue;
      const account = g.accountAlias ? `${g.accountAlias} (${management})` : management;
      out.push(
        finding(
          'IDC112',
          g.at!,
          { kind: 'assignment', name: `${g.principalType}:${g.principal}|${g.permissionSet}|${g.accountId}` },
          `${g.principalType} ${quote(g.principal)} is assigned ${quote(g.permissionSet)} in ${account}${g.via ? ` via ${g.via}` : ''}, the organization's management account, which no SCP restricts: keep access there to the few who administer the organization; remove it, or set params.allowManagementAccountAssignments`,
        ),
      );
    }
    return out;
  },
};
