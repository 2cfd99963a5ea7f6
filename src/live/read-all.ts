/**
 * Drift mode's read ('all'): every group with its members, every user, every permission set, and the
 * assignments of only the (account, permission set) pairs that are provisioned, not of every pair.
 */
import { provisionedAccounts, readPermissionSet } from './read-permission-sets.js';
import type { Reader } from './reader.js';
import { toAssignment, toGroup, toUser, unique } from './shapes.js';
import type { LiveAssignment, LiveGroup, LivePermissionSet, LiveUser } from './types.js';

export async function readAll(reader: Reader, instance: { instanceArn: string; identityStoreId: string }) {
  const { instanceArn, identityStoreId } = instance;
  const groups: LiveGroup[] = [];
  const users: LiveUser[] = [];
  const permissionSets: LivePermissionSet[] = [];
  const assignments: LiveAssignment[] = [];

  const readGroups = async () => {
    const listed = await reader.listing(
      'ListGroups',
      'the groups',
      reader.groupsPage(identityStoreId),
      () => (reader.complete.groups = false),
    );
    await Promise.all(
      listed.map(async (g) => {
        const group = toGroup(g);
        groups.push(group);
        const members = await reader.members(identityStoreId, group);
        if (members) group.memberUserIds = members;
      }),
    );
  };

  const readUsers = async () => {
    const listed = await reader.listing(
      'ListUsers',
      'the users',
      reader.usersPage(identityStoreId),
      () => (reader.complete.users = false),
    );
    users.push(...listed.map(toUser));
  };

  const readPermissionSets = async () => {
    const arns = await reader.listing(
      'ListPermissionSets',
      'the permission sets',
      reader.permissionSetsPage(instanceArn),
      () => {
        reader.complete.permissionSets = false;
        reader.complete.assignments = false; // the assignments of a set not listed are not read
      },
    );
    await Promise.all(
      unique(arns).map(async (arn) => {
        const [permissionSet, provisioned] = await Promise.all([
          readPermissionSet(reader, instanceArn, arn),
          provisionedAccounts(reader, instanceArn, arn),
        ]);
        if (permissionSet) {
          permissionSet.provisionedAccounts = provisioned ?? [];
          permissionSets.push(permissionSet);
        }
        if (!provisioned) {
          reader.complete.assignments = false;
          return;
        }
        await Promise.all(
          provisioned.map(async ({ accountId }) => {
            const found = await reader.listing(
              'ListAccountAssignments',
              `the assignments of ${arn} in ${accountId}`,
              reader.assignmentsPage(instanceArn, accountId, arn),
              () => (reader.complete.assignments = false),
            );
            assignments.push(...found.flatMap((a) => toAssignment(a)));
          }),
        );
      }),
    );
  };

  await Promise.all([readGroups(), readUsers(), readPermissionSets()]);
  return { groups, users, permissionSets, assignments };
}
