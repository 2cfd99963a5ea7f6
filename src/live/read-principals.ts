/**
 * The 'principals' read (a check, or a PR check's `scope`): only the groups, users and permission sets wanted,
 * and the wanted principals' assignments, each piece the cheaper way from what is known by then.
 *
 * 1. The wanted groups and users: from the ListGroups / ListUsers pages while the hits on the pages read so
 *    far say that listing costs less than looking the rest up, else GetGroupId + DescribeGroup / GetUserId.
 *    At the same time the instance's permission set ARNs (ListPermissionSets).
 * 2. The route to the assignments, for the P principals found:
 *    - per principal: one ListAccountAssignmentsForPrincipal listing each, at least P calls;
 *    - per pair: the accounts of every permission set of the instance (ListAccountsForProvisionedPermissionSet,
 *      one listing per set: a wanted principal may hold a set nobody declared), then ListAccountAssignments per
 *      provisioned (account, permission set) pair, keeping the wanted principals' assignments.
 *    With N permission sets the pairs cost at least N + pairs: when P ≤ N, per principal is never dearer and
 *    is taken at once. Otherwise the N set listings are read (the wanted sets need theirs anyway when the
 *    route is per pair), which tells the pairs; then per pair if pairs < P, else per principal. At worst the N
 *    listings are spent for nothing, N < P: never more than twice the cheaper route.
 * 3. The wanted permission sets by name (ListPermissionSets gives ARNs only): the sets the wanted principals
 *    hold are described first (their names are needed anyway), then the rest in listing order until every
 *    wanted name is found. Each found set in full (policies, boundary; tags only for `fullDetail`) and its
 *    accounts lacking the latest version (IDC108): all its accounts only when they are known already (the
 *    pair route) or for `fullDetail`.
 * 4. The members of the groups whose members are wanted (`scope.members`, by default every wanted group),
 *    and the wanted users, read once each as in 1. For the other groups one page of members says whether the
 *    group is empty (IDC103); `memberUserIds` is then [] or absent, never a partial list.
 * 5. The names of undeclared sets the principals hold (IDC106 names them), described once each.
 */
import {
  DescribeGroupCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetUserIdCommand,
  ListGroupMembershipsCommand,
  type Group,
  type User,
} from '@aws-sdk/client-identitystore';
import { record } from '../util/own.js';
import { nameKey } from './join.js';
import { describePermissionSet, permissionSetDetails, provisionedAccounts } from './read-permission-sets.js';
import { byPair, byPrincipal, chooseRoute, type Principal, type Route } from './assignment-routes.js';
import type { Reader } from './reader.js';
import { CallFailed, compare, toGroup, toUser, unique } from './shapes.js';
import type { LiveAssignment, LiveGroup, LivePermissionSet, LiveUser } from './types.js';

/** What a scoped read (a PR check) reads: group display names, userNames, permission set names. */
export interface ReadScope {
  groups: string[];
  users: string[];
  permissionSets: string[];
  /** Groups (among `groups`) whose members' attributes are read, for IDC104 and IDC110; default: all. */
  members?: string[];
}

export async function readPrincipals(r: Reader, instance: { instanceArn: string; identityStoreId: string }) {
  const { instanceArn, identityStoreId } = instance;
  const scope = r.options.scope;
  const wanted = scope ?? r.options.principals ?? { groups: [], users: [], permissionSets: [] };
  const wantedGroups = unique(wanted.groups);
  const wantedUsers = unique(wanted.users);
  const wantedSets = unique(wanted.permissionSets);
  const memberGroups = new Set((scope?.members ?? wantedGroups).map(nameKey));
  if (scope) {
    const sorted = (xs: string[]) => unique(xs).sort(compare);
    r.scope = {
      groups: sorted(wantedGroups),
      users: sorted(wantedUsers),
      permissionSets: sorted(wantedSets),
      members: sorted(wantedGroups.filter((g) => memberGroups.has(nameKey(g)))),
    };
  }

  // 1. The principals, and the permission set ARNs (needed for the wanted sets, and to weigh the pair route
  //    when there are more than two principals: below that it cannot be cheaper).
  let setsListed = true;
  const needSets = wantedSets.length > 0 || wantedGroups.length + wantedUsers.length > 2;
  const [groups, users, arns] = await Promise.all([
    findGroups(r, identityStoreId, wantedGroups),
    findUserIds(r, identityStoreId, wantedUsers),
    needSets
      ? r
          .listing('ListPermissionSets', 'the permission sets', r.permissionSetsPage(instanceArn), () => {
            setsListed = false;
            r.complete.permissionSets = false;
          })
          .then(unique)
      : Promise.resolve([] as string[]),
  ]);
  const principals: Principal[] = [
    ...groups.map((g) => ({ type: 'GROUP' as const, id: g.groupId, name: g.displayName })),
    ...users.map((u) => ({ type: 'USER' as const, id: u.userId, name: u.userName })),
  ];

  // 2. The route, then the assignments; 3. the wanted permission sets, the held ones described first.
  const route: Route =
    needSets && setsListed
      ? await chooseRoute(r, instanceArn, arns, principals.length)
      : { kind: 'principal' };
  const assignments: LiveAssignment[] = [];
  const userIds = new Set(users.map((u) => u.userId));
  const [permissionSets] = await Promise.all([
    (async () => {
      if (route.kind === 'principal') await byPrincipal(r, instanceArn, principals, assignments);
      else await byPair(r, instanceArn, route.accounts!, principals, assignments);
      const held = unique(assignments.map((a) => a.permissionSetArn));
      return wantedPermissionSets(r, instanceArn, wantedSets, unique([...held, ...arns]), route);
    })(),
    Promise.all(
      groups.map(async (group) => {
        if (memberGroups.has(nameKey(group.displayName))) {
          const members = await r.members(identityStoreId, group);
          if (members) group.memberUserIds = members;
          for (const id of members ?? []) userIds.add(id);
        } else if (await isEmpty(r, identityStoreId, group)) group.memberUserIds = [];
      }),
    ),
  ]);

  // 4. The members wanted and the users, each read once.
  const liveUsers = await readUsers(r, identityStoreId, userIds);

  // 5. The names of undeclared permission sets that the principals hold: described during the search
  //    already, or now, once each.
  const permissionSetNames = record<string>();
  const known = new Set(permissionSets.map((p) => p.arn));
  await Promise.all(
    unique(assignments.map((a) => a.permissionSetArn))
      .filter((arn) => !known.has(arn))
      .map(async (arn) => {
        const name = r.describedNames.get(arn) ?? (await describePermissionSet(r, instanceArn, arn))?.name;
        if (name) permissionSetNames[arn] = name;
      }),
  );
  return { groups, users: liveUsers, permissionSets, assignments, permissionSetNames };
}

/** Finds the wanted permission sets by name, describing `queue` in order until all are found, and reads them. */
async function wantedPermissionSets(
  r: Reader,
  instanceArn: string,
  names: string[],
  queue: string[],
  route: Route,
): Promise<LivePermissionSet[]> {
  const missing = new Set(names);
  const found: LivePermissionSet[] = [];
  // `concurrency` workers describe the sets in turn and stop once every wanted set is found: the other sets'
  // names are not needed (those the principals hold are described afterwards if the search did not).
  const worker = async () => {
    for (let arn = queue.shift(); arn !== undefined && missing.size > 0; arn = queue.shift()) {
      const described = await describePermissionSet(r, instanceArn, arn);
      if (described) r.describedNames.set(arn, described.name);
      if (!described || !missing.has(described.name)) continue;
      missing.delete(described.name);
      const [details, provisioned] = await Promise.all([
        permissionSetDetails(r, instanceArn, described),
        provisionedAccounts(r, instanceArn, arn, {
          known: route.accounts?.get(arn),
          outdatedOnly: !r.options.fullDetail,
        }),
      ]);
      details.provisionedAccounts = provisioned ?? [];
      found.push(details);
    }
  };
  if (missing.size > 0) await Promise.all(Array.from({ length: r.limiter.semaphore.limit }, worker));
  return found;
}

/** The Identity Store finds a group by its display name and a user by its userName (unique attributes). */
const byUnique = (identityStoreId: string, path: 'displayName' | 'userName', value: string) => ({
  IdentityStoreId: identityStoreId,
  AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: value } },
});

/** The wanted groups that exist: from ListGroups pages while that is the cheaper way, by name for the rest. */
async function findGroups(r: Reader, identityStoreId: string, names: string[]): Promise<LiveGroup[]> {
  const listed = await listWhileCheaper(
    r,
    'ListGroups',
    'the groups',
    r.groupsPage(identityStoreId),
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
          () => (r.complete.groups = false),
        );
        if (!groupId) return undefined;
        described = await r.optional(
          'DescribeGroup',
          `group ${displayName}`,
          () => r.ids.send(new DescribeGroupCommand({ IdentityStoreId: identityStoreId, GroupId: groupId })),
          () => (r.complete.groups = false),
        );
      }
      return described?.GroupId ? toGroup(described) : undefined;
    }),
  );
  // One group per ID: two wanted names that differ only in case are one group.
  return [...new Map(found.flatMap((g) => (g ? [[g.groupId, g] as const] : []))).values()];
}

/** The wanted users that exist, by name (their attributes are read with the members). */
async function findUserIds(r: Reader, identityStoreId: string, names: string[]) {
  const found = await Promise.all(
    names.map(async (userName) => {
      const userId = await r.optional(
        'GetUserId',
        `user ${userName}`,
        async () =>
          (await r.ids.send(new GetUserIdCommand(byUnique(identityStoreId, 'userName', userName)))).UserId,
        () => (r.complete.users = false),
      );
      return userId ? [{ userId, userName }] : [];
    }),
  );
  return [...new Map(found.flat().map((u) => [u.userId, u])).values()];
}

/** Whether a group has no member: one page of at most one membership. */
async function isEmpty(r: Reader, identityStoreId: string, group: LiveGroup): Promise<boolean> {
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
    r.complete.memberships = false;
    return false;
  }
}

/** The users with these IDs: from ListUsers pages while that is the cheaper way, described for the rest. */
async function readUsers(r: Reader, identityStoreId: string, userIds: Set<string>): Promise<LiveUser[]> {
  const listed = await listWhileCheaper(
    r,
    'ListUsers',
    'the users',
    r.usersPage(identityStoreId),
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
          () => (r.complete.users = false),
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
export async function listWhileCheaper<T>(
  r: Reader,
  operation: string,
  what: string,
  page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
  wanted: ReadonlySet<string>,
  keyOf: (item: T) => string | undefined,
  callsEach: number,
): Promise<{ found: Map<string, T>; complete: boolean }> {
  const found = new Map<string, T>();
  const budget = r.options.listWhileCheaper === false ? 0 : wanted.size * callsEach;
  let token: string | undefined;
  for (let pages = 0; found.size < wanted.size && pages < budget;) {
    let result;
    try {
      result = await r.call(operation, what, () => page(token));
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error;
      return { found, complete: false };
    }
    pages += 1;
    for (const item of result.items) {
      const key = keyOf(item);
      if (key !== undefined && wanted.has(key)) found.set(key, item);
    }
    token = result.next || undefined;
    if (!token) return { found, complete: true };
    if (pages / (found.size + 1) > callsEach) break;
  }
  return { found, complete: false };
}
