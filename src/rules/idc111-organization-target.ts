import type { RawFinding } from '../findings/types.js';
import { isPartInvalid } from '../model/build.js';
import { resolveTargets } from '../model/targets.js';
import { quote } from '../util/text.js';
import { assignmentEntity } from './shared.js';
import { defineLiveRule } from './types.js';

/** OU, tag and account targets that name nothing (usable) in the organization. */
export const rule = defineLiveRule(
  { id: 'IDC111', needs: ['organization'] },
  ({ model, organization }, finding) => {
    const accounts = organization?.accounts;
    if (!accounts) return [];
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const aliases = model.instance?.accounts ?? new Map();
    const out: RawFinding[] = [];
    for (const a of model.assignments) {
      const entity = (what: string) =>
        assignmentEntity(a.principalType, a.principal.value, a.permissionSet.value, what);
      const who = `${a.principalType} ${quote(a.principal.value)}`;
      // A target IDC001 rejects (a malformed OU ID, empty tags) is not reported again as missing.
      const rejected = new Set(a.targets.organizationalUnits.filter((ou) => ou.invalid).map((ou) => ou.at));
      if (a.targets.accountTags && isPartInvalid(a, 'accountTags')) rejected.add(a.targets.accountTags.at);
      for (const missing of resolveTargets(a, aliases, organization).missing) {
        if (rejected.has(missing.at)) continue;
        out.push(
          finding(
            missing.at,
            entity(missing.what),
            `${who} is assigned ${quote(a.permissionSet.value)} through ${missing.what}, which the ` +
              `organization does not have, so it grants nothing there: fix the target`,
          ),
        );
      }
      for (const ref of a.accounts) {
        const id = /^\d{12}$/.test(ref.value) ? ref.value : aliases.get(ref.value)?.value;
        if (!id || ref.invalid) continue; // an unknown alias is IDC002's, a malformed one IDC001's
        const account = byId.get(id);
        if (!account) {
          out.push(
            finding(
              ref.at,
              entity(id),
              `account ${id} is not in the organization ${organization.id}: the assignment of ` +
                `${quote(a.permissionSet.value)} to ${who} cannot be made there; fix the account ID`,
            ),
          );
        } else if (account.status !== 'ACTIVE') {
          out.push(
            finding(
              ref.at,
              entity(id),
              `account ${id}${account.name ? ` (${account.name})` : ''} is ` +
                `${account.status.toLowerCase().replace('_', ' ')}: the assignment of ` +
                `${quote(a.permissionSet.value)} to ${who} grants nothing there; remove the account`,
              { severity: 'warning' },
            ),
          );
        }
      }
    }
    return out;
  },
);
