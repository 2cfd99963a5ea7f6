// What a read of the live organisation costs at least (the yardstick), and what the naive reader costs.
import { declaredApplications } from './live-applications.js';

/** The page size of every listing (the APIs' maximum, and the reader's default). */
export const PAGE = 100;
/** ListApplications answers at most 50 applications a page (the API model's ApplicationList). */
export const APPLICATIONS_PAGE = 50;
const sortKeys = (o) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export const pages = (n) => Math.max(1, Math.ceil(n / PAGE));
export const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/**
 * The yardstick the reads are compared with (not a model of the reader: bench/model.js runs the real
 * one): the calls a reader needs for this organisation, by operation, when nothing fails. The instance is
 * declared, so there is no ListInstances.
 * - drift mode: ListGroups/ListUsers pages; ListGroupMemberships per group; ListPermissionSets pages; per
 *   set DescribePermissionSet, managed, customer managed, inline, boundary, tags, and
 *   ListAccountsForProvisionedPermissionSet (all, then the not-provisioned filter when there is an account);
 *   ListAccountAssignments per provisioned pair. Tags included: the full read of snapshot and init.
 * - check mode: the declared groups from ListGroups pages while those cost no more than
 *   GetGroupId + DescribeGroup each (then those, for the rest); per declared group ListGroupMemberships and
 *   ListAccountAssignmentsForPrincipal; the members from ListUsers pages while those cost no more than
 *   DescribeUser each (then that); the declared sets as above ({@link minimumCalls} takes the cheaper way
 *   to learn each piece).
 * - both: the applications and attributes for access control the repository declares (applicationCalls).
 */
export function minimumPlan(org, d, mode, declaredGroups) {
  const setDetails = {
    DescribePermissionSet: org.permissionSets.length,
    ListManagedPoliciesInPermissionSet: org.permissionSets.length,
    ListCustomerManagedPolicyReferencesInPermissionSet: org.permissionSets.length,
    GetInlinePolicyForPermissionSet: org.permissionSets.length,
    GetPermissionsBoundaryForPermissionSet: org.permissionSets.length,
    ListTagsForResource: org.permissionSets.length,
    ListAccountsForProvisionedPermissionSet: sum(
      org.permissionSets.map((p) => {
        const n = d.accountsBySet.get(p.name).size;
        return pages(n) + (n > 0 ? 1 : 0); // nothing is outdated: one page for the filtered listing
      }),
    ),
    ListPermissionSets: pages(org.permissionSets.length),
  };
  if (mode === 'drift') {
    return sortKeys({
      ListGroups: pages(org.groups.length),
      ListUsers: pages(org.users.length),
      ListGroupMemberships: sum(org.groups.map((g) => pages(g.members.length))),
      ...setDetails,
      ListAccountAssignments: sum([...d.assignmentsByPair.values()].map(pages)),
      ...applicationCalls(org),
    });
  }
  const groups = org.groups.filter((g) => declaredGroups.has(g.name));
  const { users, assigned } = wantedUsers(org, groups, declaredGroups);
  return sortKeys({
    // Listed while that costs no more than the look-ups would (2 calls a group, 1 a user), then looked up.
    ...listedWhileCheaper('ListGroups', ['GetGroupId', 'DescribeGroup'], groups.length, org.groups.length),
    ListGroupMemberships: sum(groups.map((g) => pages(g.members.length))),
    // The users an application assigns are declared principals too: their assignments are read (IDC106).
    // The bench gives users no account assignments: one page each.
    ListAccountAssignmentsForPrincipal:
      sum(groups.map((g) => pages(d.assignmentsByGroup.get(g.name) ?? 0))) + assigned.size,
    ...listedWhileCheaper('ListUsers', ['DescribeUser'], users.size, org.users.length),
    ...setDetails,
    ...applicationCalls(org, declaredGroups),
  });
}

/**
 * The users a check reads (`users`): the declared groups' members and the users their applications assign
 * (`assigned`); `byNameOnly`: those of the assigned that no declared group has as a member, whose IDs only
 * GetUserId or the ListUsers pages tell.
 */
function wantedUsers(org, groups, declaredGroups) {
  const members = new Set(groups.flatMap((g) => g.members));
  const assigned = new Set(declaredApplications(org, declaredGroups).flatMap((a) => a.users));
  return {
    users: new Set([...members, ...assigned]),
    assigned,
    byNameOnly: [...assigned].filter((u) => !members.has(u)).length,
  };
}

/**
 * The applications and attributes for access control of a repository that declares `declaredGroups` (absent:
 * everything), in either mode: every application listed (ListApplications answers at most 50 a page) when it
 * declares one; per declared application its assignment configuration and its assignments' pages; one
 * DescribeInstanceAccessControlAttributeConfiguration when it declares attributes. No principal is described:
 * every assigned one is declared, so the read has it already.
 */
export function applicationCalls(org, declaredGroups) {
  const declared = declaredApplications(org, declaredGroups);
  const abac = org.accessControlAttributes.length > 0;
  return {
    ...(declared.length
      ? {
          ListApplications: Math.max(1, Math.ceil(org.applications.length / APPLICATIONS_PAGE)),
          GetApplicationAssignmentConfiguration: declared.length,
          ListApplicationAssignments: sum(declared.map((a) => pages(a.groups.length + a.users.length))),
        }
      : {}),
    ...(abac ? { DescribeInstanceAccessControlAttributeConfiguration: 1 } : {}),
  };
}

/**
 * The reader's `listWhileCheaper`: `wanted` items among `total`, listed for at most as many pages as their
 * look-ups cost. When the listing fits, its pages (an upper bound: it stops once all are found, which depends
 * on the store's order); otherwise the budget's pages, and look-ups for the share of items not on them.
 */
export function listedWhileCheaper(listing, lookups, wanted, total) {
  const budget = wanted * lookups.length;
  if (pages(total) <= budget) return { [listing]: pages(total) };
  const missed = Math.round(wanted * (1 - budget / pages(total)));
  return { [listing]: budget, ...Object.fromEntries(lookups.map((op) => [op, missed])) };
}

/** Operations whose model is an upper bound in a PR check: a listing stops once every wanted item is found. */
export const AT_MOST = new Set(['ListGroups', 'ListUsers']);

/**
 * The fewest calls that read what the mode needs, from the generated data: every listing's pages at 100 a
 * page, and for each piece the cheaper of the ways to learn it.
 * - drift: the reader's plan is the minimum (assignments must be listed per provisioned pair: listing them
 *   per principal would miss assignments to deleted principals, IDC109).
 * - check: the declared groups by name, ID and ExternalIds: GetGroupId + DescribeGroup each, or the ListGroups
 *   pages if fewer; the members' attributes (and those of the users the declared applications assign, whose
 *   account assignments are read too): DescribeUser each, or the ListUsers pages if fewer; the rest as
 *   in the plan (memberships and assignments per declared group, the declared sets in full, the declared
 *   applications and attributes for access control).
 */
export function minimumCalls(org, d, mode, declaredGroups) {
  const plan = minimumPlan(org, d, mode, declaredGroups);
  if (mode === 'drift') return { byOperation: plan, choices: [] };
  const groups = org.groups.filter((g) => declaredGroups.has(g.name));
  const { users, byNameOnly } = wantedUsers(org, groups, declaredGroups);
  const members = users.size;
  const out = { ...plan };
  for (const op of ['ListGroups', 'GetGroupId', 'DescribeGroup', 'ListUsers', 'DescribeUser']) delete out[op];
  // No rule of a check reads tags, nor which accounts have a set's latest version: per set one listing of
  // the accounts lacking it (IDC108), one page here.
  delete out.ListTagsForResource;
  out.ListAccountsForProvisionedPermissionSet = org.permissionSets.length;
  const choices = [];
  // Each piece the cheaper way: the listing's pages, or the look-ups (2 calls a group, 1 a member).
  const groupPages = pages(org.groups.length);
  if (groupPages < 2 * groups.length) {
    out.ListGroups = groupPages;
    choices.push(
      `groups: ListGroups ${groupPages} pages instead of GetGroupId + DescribeGroup ${2 * groups.length}`,
    );
  } else Object.assign(out, { GetGroupId: groups.length, DescribeGroup: groups.length });
  // A user known by name alone (assigned to an application, a member of no declared group) costs a GetUserId
  // too; the ListUsers pages tell its ID with the rest.
  const userPages = pages(org.users.length);
  const lookups = members + byNameOnly;
  if (userPages < lookups) {
    out.ListUsers = userPages;
    choices.push(`users: ListUsers ${userPages} pages instead of DescribeUser ${members}`);
  } else Object.assign(out, { DescribeUser: members, ...(byNameOnly ? { GetUserId: byNameOnly } : {}) });
  return { byOperation: sortKeys(out), choices };
}

/** The calls spent learning the assignments (bench/README.md, "naive reader"). */
export const LEARNING = [
  'ListAccountsForProvisionedPermissionSet',
  'ListAccountAssignments',
  'ListAccountAssignmentsForPrincipal',
];
export const learningCalls = (byOperation) => sum(LEARNING.map((op) => byOperation[op] ?? 0));

/** `list-account-assignments` for every account × permission set: one page each here (≤ 100 assignments). */
export function naiveLearning(org, d) {
  let calls = 0;
  for (const a of org.accounts)
    for (const p of org.permissionSets) calls += pages(d.assignmentsByPair.get(`${a.id}|${p.name}`) ?? 0);
  return calls;
}
