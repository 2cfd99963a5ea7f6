import { stringify } from 'yaml';
import type { LiveState } from '../live/types.js';

const HEADER =
  '# Written by `idc-guard init --from-live`: the live state as declarations. Review, then commit.\n';

/** A safe file name for a permission set (names are [\w+=,.@-]{1,32}). */
const fileName = (name: string): string => name.replace(/[^\w.-]/g, '_');

function yamlDoc(value: unknown): string {
  return stringify(value, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
}

/**
 * Accounts written as their OUs where that is exact: an OU all of whose active accounts (directly in it; two
 * at least) hold the assignment is written once, and the rest as accounts. Without the organization, accounts.
 */
function compact(
  accountIds: Set<string>,
  organization: LiveState['organization'],
): { organizationalUnits: string[]; accounts: string[] } {
  const remaining = new Set(accountIds);
  const organizationalUnits: string[] = [];
  for (const ou of organization?.organizationalUnits ?? []) {
    const members = (organization?.accounts ?? []).filter(
      (a) => a.parentId === ou.id && a.status === 'ACTIVE',
    );
    if (members.length < 2 || !members.every((a) => remaining.has(a.id))) continue;
    organizationalUnits.push(ou.id);
    for (const a of members) remaining.delete(a.id);
  }
  return { organizationalUnits: organizationalUnits.sort(), accounts: [...remaining].sort() };
}

/**
 * The declarations that describe `live` exactly, by path: how a team adopts idc-guard. A check of the result
 * against the same state reports no drift. Assignments to principals that no longer exist are left out
 * (IDC109 reports them); groups without an ExternalId are declared `source: manual`; with the organization
 * known, the accounts of a whole OU are written as the OU.
 */
export function renderDeclarations(live: LiveState): Map<string, string> {
  const files = new Map<string, string>();
  const userName = new Map(live.users.map((u) => [u.userId, u.userName]));
  files.set(
    'identity/instance.yaml',
    HEADER +
      yamlDoc({
        kind: 'IdentityCenter',
        instanceArn: live.instance.instanceArn,
        identityStoreId: live.instance.identityStoreId,
        ...(live.instance.region ? { region: live.instance.region } : {}),
      }),
  );
  const groups = [...live.groups].sort((a, b) => a.displayName.localeCompare(b.displayName));
  files.set(
    'identity/groups.yaml',
    HEADER +
      yamlDoc({
        kind: 'Groups',
        groups: groups.map((g) => {
          const members = (g.memberUserIds ?? []).flatMap((id) => userName.get(id) ?? []).sort();
          return {
            name: g.displayName,
            ...(g.description ? { description: g.description } : {}),
            ...(g.externalIds.length === 0 ? { source: 'manual' } : {}),
            ...(members.length > 0 ? { members: { users: members } } : {}),
          };
        }),
      }),
  );
  for (const ps of [...live.permissionSets].sort((a, b) => a.name.localeCompare(b.name))) {
    const base = `identity/permission-sets/${fileName(ps.name)}`;
    if (ps.inlinePolicy !== undefined) files.set(`${base}.inline.json`, `${ps.inlinePolicy}\n`);
    files.set(
      `${base}.yaml`,
      HEADER +
        yamlDoc({
          kind: 'PermissionSet',
          name: ps.name,
          ...(ps.description !== undefined ? { description: ps.description } : {}),
          ...(ps.sessionDuration !== undefined ? { sessionDuration: ps.sessionDuration } : {}),
          ...(ps.relayState !== undefined ? { relayState: ps.relayState } : {}),
          ...(ps.managedPolicies.length ? { managedPolicies: [...ps.managedPolicies].sort() } : {}),
          ...(ps.customerManagedPolicies.length
            ? { customerManagedPolicies: ps.customerManagedPolicies }
            : {}),
          ...(ps.inlinePolicy !== undefined ? { inlinePolicy: `./${fileName(ps.name)}.inline.json` } : {}),
          ...(ps.permissionsBoundary ? { permissionsBoundary: ps.permissionsBoundary } : {}),
          ...(Object.keys(ps.tags).length ? { tags: ps.tags } : {}),
        }),
    );
  }
  // One entry per principal and permission set, with all its accounts.
  const groupName = new Map(live.groups.map((g) => [g.groupId, g.displayName]));
  const psName = new Map(live.permissionSets.map((p) => [p.arn, p.name]));
  const entries = new Map<
    string,
    { principal: Record<string, string>; permissionSet: string; accounts: Set<string> }
  >();
  for (const a of live.assignments) {
    const name = a.principalType === 'GROUP' ? groupName.get(a.principalId) : userName.get(a.principalId);
    const permissionSet = psName.get(a.permissionSetArn);
    if (!name || !permissionSet) continue;
    const key = `${a.principalType}|${name}|${permissionSet}`;
    const entry = entries.get(key) ?? {
      principal: { [a.principalType === 'GROUP' ? 'group' : 'user']: name },
      permissionSet,
      accounts: new Set(),
    };
    entry.accounts.add(a.accountId);
    entries.set(key, entry);
  }
  files.set(
    'identity/assignments.yaml',
    HEADER +
      yamlDoc({
        kind: 'Assignments',
        assignments: [...entries.keys()].sort().map((k) => {
          const e = entries.get(k)!;
          const { organizationalUnits, accounts } = compact(e.accounts, live.organization);
          return {
            ...e.principal,
            permissionSet: e.permissionSet,
            ...(organizationalUnits.length > 0 ? { organizationalUnits } : {}),
            ...(accounts.length > 0 ? { accounts } : {}),
          };
        }),
      }),
  );
  return files;
}
