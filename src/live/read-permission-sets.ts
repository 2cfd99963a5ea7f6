/** Permission sets: what one is (description, policies, boundary, tags when asked) and where it is provisioned. */
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
  paginateListTagsForResource,
} from '@aws-sdk/client-sso-admin';
import type { Part } from './calls.js';
import type { Reader } from './read-context.js';
import { compare, unique } from './shapes.js';
import type { LivePermissionSet } from './types.js';

/** The instance's permission set ARNs, whole or not; a failure loses `parts`. */
export function permissionSetArns(r: Reader, instanceArn: string, ...parts: Part[]) {
  return r.readListing(
    'ListPermissionSets',
    'the permission sets',
    paginateListPermissionSets({ client: r.sso, pageSize: r.pageSize }, { InstanceArn: instanceArn }),
    (page) => page.PermissionSets,
    ...parts,
  );
}

export async function describePermissionSet(
  r: Reader,
  instanceArn: string,
  arn: string,
): Promise<LivePermissionSet | undefined> {
  const described = await r.optional(
    'DescribePermissionSet',
    `permission set ${arn}`,
    () => r.sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
    'permissionSets',
  );
  const ps = described?.PermissionSet;
  if (!ps?.Name) return undefined;
  return {
    arn,
    name: ps.Name,
    ...(ps.Description ? { description: ps.Description } : {}),
    ...(ps.SessionDuration ? { sessionDuration: ps.SessionDuration } : {}),
    ...(ps.RelayState ? { relayState: ps.RelayState } : {}),
    managedPolicies: [],
    customerManagedPolicies: [],
    tags: {},
    provisionedAccounts: [],
  };
}

/** Describes a permission set and reads its policies, boundary and tags. */
export async function readPermissionSet(
  r: Reader,
  instanceArn: string,
  arn: string,
): Promise<LivePermissionSet | undefined> {
  const described = await describePermissionSet(r, instanceArn, arn);
  return described && permissionSetDetails(r, instanceArn, described);
}

export async function permissionSetDetails(
  r: Reader,
  instanceArn: string,
  ps: LivePermissionSet,
): Promise<LivePermissionSet> {
  const target = { InstanceArn: instanceArn, PermissionSetArn: ps.arn };
  const of = `of permission set ${ps.name}`;
  const paging = { client: r.sso, pageSize: r.pageSize };
  const [managed, customer, inline, boundary, tags] = await Promise.all([
    r.listing(
      'ListManagedPoliciesInPermissionSet',
      `the managed policies ${of}`,
      paginateListManagedPoliciesInPermissionSet(paging, { ...target }),
      (page) => page.AttachedManagedPolicies,
      'permissionSets',
    ),
    r.listing(
      'ListCustomerManagedPolicyReferencesInPermissionSet',
      `the customer managed policy references ${of}`,
      paginateListCustomerManagedPolicyReferencesInPermissionSet(paging, { ...target }),
      (page) => page.CustomerManagedPolicyReferences,
      'permissionSets',
    ),
    r.optional(
      'GetInlinePolicyForPermissionSet',
      `the inline policy ${of}`,
      async () => (await r.sso.send(new GetInlinePolicyForPermissionSetCommand(target))).InlinePolicy,
      'permissionSets',
    ),
    // ResourceNotFoundException here means "no boundary".
    r.optional(
      'GetPermissionsBoundaryForPermissionSet',
      `the permissions boundary ${of}`,
      async () =>
        (await r.sso.send(new GetPermissionsBoundaryForPermissionSetCommand(target))).PermissionsBoundary,
      'permissionSets',
    ),
    // No rule reads the tags (IDC107 does not compare them); snapshot and init do.
    !r.options.fullDetail
      ? (r.notRead.add('tags'), [])
      : r.listing(
          'ListTagsForResource',
          `the tags ${of}`,
          // ListTagsForResource has no MaxResults: the paginator sends none.
          paginateListTagsForResource(paging, { InstanceArn: instanceArn, ResourceArn: ps.arn }),
          (page) => page.Tags,
          'permissionSets',
        ),
  ]);
  let permissionsBoundary: LivePermissionSet['permissionsBoundary'];
  if (boundary?.ManagedPolicyArn) permissionsBoundary = { managedPolicyArn: boundary.ManagedPolicyArn };
  else if (boundary?.CustomerManagedPolicyReference?.Name) {
    const ref = boundary.CustomerManagedPolicyReference;
    permissionsBoundary = { customerManagedPolicyReference: { name: ref.Name!, path: ref.Path || '/' } };
  }
  // A fresh object, so that a snapshot lists the fields in this order.
  return {
    arn: ps.arn,
    name: ps.name,
    ...(ps.description !== undefined ? { description: ps.description } : {}),
    ...(ps.sessionDuration !== undefined ? { sessionDuration: ps.sessionDuration } : {}),
    ...(ps.relayState !== undefined ? { relayState: ps.relayState } : {}),
    managedPolicies: unique(managed.flatMap((p) => (p.Arn ? [p.Arn] : []))).sort(compare),
    customerManagedPolicies: customer
      .flatMap((p) => (p.Name ? [{ name: p.Name, path: p.Path || '/' }] : []))
      .sort((a, b) => compare(a.path, b.path) || compare(a.name, b.name)),
    ...(inline ? { inlinePolicy: inline } : {}),
    ...(permissionsBoundary ? { permissionsBoundary } : {}),
    tags: Object.fromEntries(
      tags
        .flatMap((t) => (t.Key !== undefined ? [[t.Key, t.Value ?? '']] : []))
        .sort((a, b) => compare(a[0], b[0])),
    ),
    provisionedAccounts: ps.provisionedAccounts,
  };
}

/**
 * The accounts a permission set is provisioned to, with whether they have its latest version; undefined
 * when they could not be read in full. `known`: its accounts, listed already (the pair route). The filtered
 * listing is skipped when there is no account. `outdatedOnly`: list only the accounts lacking the latest
 * version, which is all IDC108 needs (noted in `notRead`).
 */
export async function provisionedAccounts(
  r: Reader,
  instanceArn: string,
  arn: string,
  { known, outdatedOnly = false }: { known?: string[]; outdatedOnly?: boolean } = {},
): Promise<LivePermissionSet['provisionedAccounts'] | undefined> {
  const all = known ?? (outdatedOnly ? undefined : await provisionedAccountIds(r, instanceArn, arn));
  if (!all && !outdatedOnly) return undefined;
  if (all && all.length === 0) return [];
  const read = await r.readListing(
    'ListAccountsForProvisionedPermissionSet',
    `the accounts ${arn} is provisioned to`,
    provisionedPages(r, instanceArn, arn, 'LATEST_PERMISSION_SET_NOT_PROVISIONED'),
    (page) => page.AccountIds,
    'permissionSets',
  );
  const failed = !read.whole;
  const outdated = new Set(read.items);
  if (!all) {
    r.notRead.add('upToDateAccounts');
    return failed
      ? undefined
      : [...outdated].sort(compare).map((accountId) => ({ accountId, current: false }));
  }
  // Without the filtered listing every account is still known; only `current` is unsure (flagged above).
  return [...all].sort(compare).map((accountId) => ({ accountId, current: !outdated.has(accountId) }));
}

/** Every account a permission set is provisioned to, or undefined when they could not be read in full. */
export async function provisionedAccountIds(
  r: Reader,
  instanceArn: string,
  arn: string,
): Promise<string[] | undefined> {
  const ids = await r.wholeListing(
    'ListAccountsForProvisionedPermissionSet',
    `the accounts ${arn} is provisioned to`,
    provisionedPages(r, instanceArn, arn),
    (page) => page.AccountIds,
    'permissionSets',
  );
  return ids && unique(ids);
}

function provisionedPages(
  r: Reader,
  instanceArn: string,
  arn: string,
  status?: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
) {
  return paginateListAccountsForProvisionedPermissionSet(
    { client: r.sso, pageSize: r.pageSize },
    { InstanceArn: instanceArn, PermissionSetArn: arn, ProvisioningStatus: status },
  );
}
