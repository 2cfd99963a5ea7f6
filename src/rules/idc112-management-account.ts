import type { RawFinding } from '../findings/types.js';
import { grantsOf } from '../model/grants.js';
import { quote } from '../util/text.js';
import { accountLabel, assignmentEntity } from './shared.js';
import { defineLiveRule } from './types.js';

/** Assignments in the organization's management account, unless params allow them. */
export const rule = defineLiveRule(
  { id: 'IDC112', needs: ['organization'] },
  ({ model, params, organization }, finding) => {
    const management = organization?.managementAccountId;
    if (!management || params.allowManagementAccountAssignments) return [];
    const out: RawFinding[] = [];
    for (const g of grantsOf(model, organization)) {
      if (g.accountId !== management) continue;
      const account = accountLabel(management, g.accountAlias);
      out.push(
        finding(
          g.at!,
          assignmentEntity(g.principalType, g.principal, g.permissionSet, g.accountId),
          `${g.principalType} ${quote(g.principal)} is assigned ${quote(g.permissionSet)} in ` +
            `${account}${g.via ? ` via ${g.via}` : ''}, the organization's management account, which no ` +
            `SCP restricts: keep access there to the few who administer the organization; remove it, or ` +
            `set params.allowManagementAccountAssignments`,
        ),
      );
    }
    return out;
  },
);
