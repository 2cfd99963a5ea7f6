import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { finding, type Rule } from './types.js';

/** What AWS Control Tower creates in IAM Identity Center (docs.aws.amazon.com/controltower, "sso-groups"). */
const CONTROL_TOWER_PERMISSION_SETS = [
  'AWSAdministratorAccess',
  'AWSPowerUserAccess',
  'AWSReadOnlyAccess',
  'AWSOrganizationsFullAccess',
  'AWSServiceCatalogAdminFullAccess',
  'AWSServiceCatalogEndUserAccess',
];
const CONTROL_TOWER_GROUPS = [
  'AWSControlTowerAdmins',
  'AWSSecurityAuditors',
  'AWSSecurityAuditPowerUsers',
  'AWSAccountFactory',
  'AWSServiceCatalogAdmins',
  'AWSLogArchiveAdmins',
  'AWSLogArchiveViewers',
  'AWSAuditAccountAdmins',
];

/** The reserved name a declared name collides with (Identity Center compares names without case), if any. */
function reserved(name: string, names: string[]): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('awscontroltower')) return 'AWSControlTower*';
  return names.find((n) => n.toLowerCase() === lower);
}

export const rule: Rule = {
  id: 'IDC013',
  check({ model }) {
    const out: RawFinding[] = [];
    const message = (what: string, name: string, collides: string) =>
      `${what} ${quote(name)} takes a name AWS Control Tower creates and manages (${collides}): where Control Tower is set up, Identity Center already has it, so this one cannot be created, or Control Tower overwrites it; choose another name`;
    for (const ps of model.permissionSets) {
      const collides = reserved(ps.name, CONTROL_TOWER_PERMISSION_SETS);
      if (collides)
        out.push(
          finding(
            'IDC013',
            childLoc(ps.at, 'name'),
            { kind: 'permissionSet', name: ps.name },
            message('permission set', ps.name, collides),
          ),
        );
    }
    for (const g of model.groups) {
      const collides = reserved(g.name, CONTROL_TOWER_GROUPS);
      if (collides)
        out.push(
          finding(
            'IDC013',
            childLoc(g.at, 'name'),
            { kind: 'group', name: g.name },
            message('group', g.name, collides),
          ),
        );
    }
    return out;
  },
};
