/**
 * Drift mode's read ('all'): every group with its members, every user, every permission set, and the
 * assignments of only the (account, permission set) pairs that are provisioned, not of every pair.
 */
import { pairAssignments } from './assignment-routes.js';
import { groupPages, members, userPages } from './identity-store.js';
import { permissionSetArns, provisionedAccounts, readPermissionSet } from './read-permission-sets.js';
import type { Reader } from './read-context.js';
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
      groupPages(reader, identityStoreId),
      (page) => page.Groups,
      'groups',
    );
    await Promise.all(
      listed.map(async (g) => {
        const group = toGroup(g);
        groups.push(group);
        const memberIds = await members(reader, identityStoreId, group);
        if (memberIds) group.memberUserIds = memberIds;
      }),
    );
  };

  const readUsers = async () => {
    const listed = await reader.listing(
      'ListUsers',
      'the users',
      userPages(reader, identityStoreId),
      (page) => page.Users,
      'users',
    );
    users.push(...listed.map(toUser));
  };

  const readPermissionSets = async () => {
    // The assignments of a set not listed are not read either.
    const { items: arns } = await permissionSetArns(reader, instanceArn, 'permissionSets', 'assignments');
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
          reader.lose('assignments');
          return;
        }
        await Promise.all(
          provisioned.map(async ({ accountId }) => {
            const found = await pairAssignments(reader, instanceArn, accountId, arn);
            assignments.push(...found.flatMap((a) => toAssignment(a)));
          }),
        );
      }),
    );
  };

  await Promise.all([readGroups(), readUsers(), readPermissionSets()]);
  return { groups, users, permissionSets, assignments };
}
