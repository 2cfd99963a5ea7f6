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
import { record } from '../util/own.js';
import { nameKey } from './live-lookup.js';
import {
  describePermissionSet,
  permissionSetArns,
  permissionSetDetails,
  provisionedAccounts,
} from './read-permission-sets.js';
import { byPair, byPrincipal, chooseRoute, type Principal, type Route } from './assignment-routes.js';
import type { Reader } from './read-context.js';
export type { ReadScope } from './read-context.js';
import { findGroups, findUserIds, isEmpty, members, readUsers } from './identity-store.js';
import { compare, unique } from './shapes.js';
import type { LiveAssignment, LivePermissionSet } from './types.js';

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
      ? permissionSetArns(r, instanceArn, 'permissionSets').then((read) => {
          setsListed = read.whole;
          return unique(read.items);
        })
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
          const memberIds = await members(r, identityStoreId, group);
          if (memberIds) group.memberUserIds = memberIds;
          for (const id of memberIds ?? []) userIds.add(id);
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
