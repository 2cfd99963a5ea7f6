import type { ManagedBy } from './types.js';

/**
 * What AWS Control Tower creates in IAM Identity Center when it sets up a landing zone
 * (https://docs.aws.amazon.com/controltower/latest/userguide/sso-groups.html).
 */
export const CONTROL_TOWER_PERMISSION_SETS: readonly string[] = [
  'AWSAdministratorAccess',
  'AWSPowerUserAccess',
  'AWSReadOnlyAccess',
  'AWSOrganizationsFullAccess',
  'AWSServiceCatalogAdminFullAccess',
  'AWSServiceCatalogEndUserAccess',
];
export const CONTROL_TOWER_GROUPS: readonly string[] = [
  'AWSControlTowerAdmins',
  'AWSSecurityAuditors',
  'AWSSecurityAuditPowerUsers',
  'AWSAccountFactory',
  'AWSServiceCatalogAdmins',
  'AWSLogArchiveAdmins',
  'AWSLogArchiveViewers',
  'AWSAuditAccountAdmins',
];

/** Whether Control Tower creates an object of that name (Identity Center compares names without case). */
export function isControlTowerName(kind: 'group' | 'permissionSet', name: string): boolean {
  const lower = name.toLowerCase();
  const names = kind === 'group' ? CONTROL_TOWER_GROUPS : CONTROL_TOWER_PERMISSION_SETS;
  return names.some((n) => n.toLowerCase() === lower);
}

/** "managed by AWS Control Tower", for messages. */
export function managedByText(managedBy: ManagedBy): string {
  return managedBy === 'controltower' ? 'managed by AWS Control Tower' : 'managed outside this repository';
}
