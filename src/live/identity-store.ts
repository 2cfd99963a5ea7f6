/**
 * The Identity Store's reads: groups, users and memberships, listed (through the SDK's paginators) or looked
 * up one by one by their unique attributes.
 */
import {
  DescribeGroupCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetUserIdCommand,
  ListGroupMembershipsCommand,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
  type Group,
  type User,
} from '@aws-sdk/client-identitystore';
import { CallFailed } from './calls.js';
import { nameKey } from './live-lookup.js';
import type { Reader } from './read-context.js';
import { compare, toGroup, toUser, unique } from './shapes.js';
import type { LiveGroup, LiveUser } from './types.js';

/** The pages of the identity store's groups. */
export const groupPages = (r: Reader, identityStoreId: string) =>
  paginateListGroups({ client: r.ids, pageSize: r.pageSize }, { IdentityStoreId: identityStoreId });

/** The pages of the identity store's users. */
export const userPages = (r: Reader, identityStoreId: string) =>
  paginateListUsers({ client: r.ids, pageSize: r.pageSize }, { IdentityStoreId: identityStoreId });

/** The member user IDs of a group, or undefined when they could not be read in full. */
export async function members(r: Reader, identityStoreId: string, group: LiveGroup) {
  const memberships = await r.wholeListing(
    'ListGroupMemberships',
    `members of group ${group.displayName}`,
    paginateListGroupMemberships(
      { client: r.ids, pageSize: r.pageSize },
      { IdentityStoreId: identityStoreId, GroupId: group.groupId },
    ),
    (page) => page.GroupMemberships,
    'memberships',
  );
  if (!memberships) return undefined; // never a partial member list
  const ids = memberships.flatMap((m) => {
    const member = m.MemberId as { UserId?: string } | undefined;
    return member?.UserId ? [member.UserId] : [];
  });
  return unique(ids).sort(compare);
}

/** The Identity Store finds a group by its display name and a user by its userName (unique attributes). */
const byUnique = (identityStoreId: string, path: 'displayName' | 'userName', value: string) => ({
  IdentityStoreId: identityStoreId,
  AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: value } },
});

/** The wanted groups that exist: from ListGroups pages while that is the cheaper way, by name for the rest. */
export async function findGroups(r: Reader, identityStoreId: string, names: string[]): Promise<LiveGroup[]> {
  const listed = await listWhileCheaper(
    r,
    'ListGroups',
    'the groups',
    groupPages(r, identityStoreId),
    (page) => page.Groups,
    new Set(names.map(nameKey)),
    (g: Group) => (g.DisplayName === undefined ? undefined : nameKey(g.DisplayName)),
    2, // a group by name costs GetGroupId + DescribeGroup
  );
  const found = await Promise.all(
    names.map(async (displayName): Promise<LiveGroup | undefined> => {
      let described: Group | undefined = listed.found.get(nameKey(displayName));
      if (!described && !listed.complete) {
        const groupId = await r.optional(
          'GetGroupId',
          `group ${displayName}`,
          async () =>
            (await r.ids.send(new GetGroupIdCommand(byUnique(identityStoreId, 'displayName', displayName))))
              .GroupId,
          'groups',
        );
        if (!groupId) return undefined;
        described = await r.optional(
          'DescribeGroup',
          `group ${displayName}`,
          () => r.ids.send(new DescribeGroupCommand({ IdentityStoreId: identityStoreId, GroupId: groupId })),
          'groups',
        );
      }
      return described?.GroupId ? toGroup(described) : undefined;
    }),
  );
  // One group per ID: two wanted names that differ only in case are one group.
  return [...new Map(found.flatMap((g) => (g ? [[g.groupId, g] as const] : []))).values()];
}

/** The wanted users that exist, by name (their attributes are read with the members). */
export async function findUserIds(r: Reader, identityStoreId: string, names: string[]) {
  const found = await Promise.all(
    names.map(async (userName) => {
      const userId = await r.optional(
        'GetUserId',
        `user ${userName}`,
        async () =>
          (await r.ids.send(new GetUserIdCommand(byUnique(identityStoreId, 'userName', userName)))).UserId,
        'users',
      );
      return userId ? [{ userId, userName }] : [];
    }),
  );
  return [...new Map(found.flat().map((u) => [u.userId, u])).values()];
}

/** Whether a group has no member: one page of at most one membership. */
export async function isEmpty(r: Reader, identityStoreId: string, group: LiveGroup): Promise<boolean> {
  try {
    const page = await r.call('ListGroupMemberships', `members of group ${group.displayName}`, () =>
      r.ids.send(
        new ListGroupMembershipsCommand({
          IdentityStoreId: identityStoreId,
          GroupId: group.groupId,
          MaxResults: 1,
        }),
      ),
    );
    return (page.GroupMemberships ?? []).length === 0 && !page.NextToken;
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error;
    r.lose('memberships');
    return false;
  }
}

/** The users with these IDs: from ListUsers pages while that is the cheaper way, described for the rest. */
export async function readUsers(
  r: Reader,
  identityStoreId: string,
  userIds: Set<string>,
): Promise<LiveUser[]> {
  const listed = await listWhileCheaper(
    r,
    'ListUsers',
    'the users',
    userPages(r, identityStoreId),
    (page) => page.Users,
    userIds,
    (u: User) => u.UserId,
    1,
  );
  const users: LiveUser[] = [...listed.found.values()].map(toUser);
  await Promise.all(
    [...userIds]
      .filter((id) => !listed.found.has(id) && !listed.complete)
      .map(async (userId) => {
        const described = await r.optional(
          'DescribeUser',
          `user ${userId}`,
          () => r.ids.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: userId })),
          'users',
        );
        if (described) users.push(toUser(described));
      }),
  );
  return users;
}

/**
 * Finds `wanted` items in a listing, reading its pages only while that looks the cheaper way: a page of 100
 * costs one call, where each wanted item alone costs `callsEach`. After p pages that found f items, the rest
 * are expected to cost p / (f + 1) pages each; the listing stops once that exceeds `callsEach`, and in any
 * case within the calls the look-ups would cost. So a small store, or many wanted items, cost the listing's
 * pages, and a few items in a large store cost their look-ups and a few pages, whatever the store's size,
 * which is not known before listing it. `complete`: the whole listing was read, so an item not found does
 * not exist. A failed page ends the listing early; the items then are looked up.
 */
export async function listWhileCheaper<P extends { NextToken?: string }, T>(
  r: Reader,
  operation: string,
  what: string,
  paginator: AsyncGenerator<P>,
  items: (page: P) => T[] | undefined,
  wanted: ReadonlySet<string>,
  keyOf: (item: T) => string | undefined,
  callsEach: number,
): Promise<{ found: Map<string, T>; complete: boolean }> {
  const found = new Map<string, T>();
  const budget = r.options.listWhileCheaper === false ? 0 : wanted.size * callsEach;
  if (found.size >= wanted.size || budget <= 0) return { found, complete: false };
  let pages = 0;
  try {
    for await (const page of r.eachPage(operation, what, paginator)) {
      pages += 1;
      for (const item of items(page) ?? []) {
        const key = keyOf(item);
        if (key !== undefined && wanted.has(key)) found.set(key, item);
      }
      if (!page.NextToken) return { found, complete: true };
      if (pages / (found.size + 1) > callsEach) break;
      if (found.size >= wanted.size || pages >= budget) break;
    }
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error;
  }
  return { found, complete: false };
}
