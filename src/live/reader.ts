/**
 * Reads the live Identity Center state through the Identity Store and SSO Admin APIs, read-only (List*,
 * Describe*, Get* only), within Identity Center's account-wide limit of about 20 requests a second.
 *
 * Two strategies:
 * - 'all' (drift mode) reads every group, user, membership, permission set and assignment. Assignments are
 *   listed only for the (account, permission set) pairs that are provisioned, not for every pair.
 * - 'principals' (PR check) reads only what the declarations concern: the declared groups and users (by
 *   name), the members of those groups, the declared permission sets, and the declared principals'
 *   assignments (one ListAccountAssignmentsForPrincipal listing each).
 *
 * What cannot be read (AccessDenied, a 5xx that survives the retries, a page loop that does not end) is
 * recorded in `failures`, and the completeness flag it affects is false; everything else is still read.
 * Expired or invalid credentials stop the read with one clear Error.
 */
import {
  DescribeGroupCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupsCommand,
  ListUsersCommand,
  type Group,
  type User,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListInstancesCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  ListTagsForResourceCommand as ListOrganizationTagsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { record } from '../util/own.js';
import { nameKey } from './join.js';
import { CallLimiter } from './rate-limit.js';
import type {
  ExternalId,
  LiveAccount,
  LiveAssignment,
  LiveGroup,
  LiveOrganization,
  LivePermissionSet,
  LiveState,
  LiveUser,
} from './types.js';

export interface ReadLiveStateOptions {
  /** Overrides the SDK's region chain (AWS_REGION, the profile's region, …). */
  region?: string;
  instanceArn?: string;
  identityStoreId?: string;
  /** 'all' for drift mode; 'principals' for a PR check (needs `principals`). */
  strategy: 'principals' | 'all';
  /** For 'principals': group display names, userNames and permission set names the declarations concern. */
  principals?: { groups: string[]; users: string[]; permissionSets: string[] };
  /** Client-side limit over both APIs, every attempt counted (default 20; 0 turns it off). */
  requestsPerSecond?: number;
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  /** A page loop that reaches this many pages stops, and its listing counts as failed (default 1000). */
  maxPages?: number;
  /** MaxResults of every listing that has it (default 100, the APIs' maximum). Tests use less to page. */
  pageSize?: number;
  /** Attempts per call, retries included (default 6; adaptive retry mode). */
  maxAttempts?: number;
  /**
   * 'principals': find the declared groups and users in the ListGroups/ListUsers pages while that is cheaper
   * than looking each one up (default true); false looks every one up, at a cost that grows with the PR only.
   */
  listWhileCheaper?: boolean;
  /**
   * AWS Organizations: its management account (DescribeOrganization) always; the OUs and accounts when the
   * declarations target OUs, tags or the root (`structure`), and the accounts' tags when they target tags.
   */
  organization?: { structure: boolean; tags: boolean };
}

/** Thrown when the credentials are expired or invalid: the read stops. */
export class AwsCredentialsError extends Error {
  override name = 'AwsCredentialsError';
}

type Completeness = LiveState['complete'];

/** The error classes that mean "your credentials are bad", not "this call failed". */
const CREDENTIAL_ERRORS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
  'TokenProviderError',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
const NOT_FOUND = 'ResourceNotFoundException';

/** Identity Store operations; the rest are SSO Admin's (IAM prefix `sso:`). */
const IDENTITY_STORE_OPERATIONS = new Set([
  'DescribeGroup',
  'DescribeUser',
  'GetGroupId',
  'GetUserId',
  'ListGroupMemberships',
  'ListGroups',
  'ListUsers',
]);

/**
 * Every operation the reader may call, all of them List*, Describe* or Get*: the least-privilege IAM policy
 * is these, as {@link iamAction}s.
 */
export const READ_OPERATIONS = [
  'DescribeGroup',
  'DescribePermissionSet',
  'DescribeUser',
  'GetGroupId',
  'GetInlinePolicyForPermissionSet',
  'GetPermissionsBoundaryForPermissionSet',
  'GetUserId',
  'ListAccountAssignments',
  'ListAccountAssignmentsForPrincipal',
  'ListAccountsForProvisionedPermissionSet',
  'ListCustomerManagedPolicyReferencesInPermissionSet',
  'ListGroupMemberships',
  'ListGroups',
  'ListInstances',
  'ListManagedPoliciesInPermissionSet',
  'ListPermissionSets',
  'ListTagsForResource',
  'ListUsers',
  // AWS Organizations, named with their prefix (ListTagsForResource is also SSO Admin's).
  'organizations:DescribeOrganization',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListRoots',
  'organizations:ListTagsForResource',
] as const;

/** The IAM action that allows an operation, e.g. `identitystore:ListGroups`, `sso:ListPermissionSets`. */
export function iamAction(operation: string): string {
  if (operation.includes(':')) return operation;
  return `${IDENTITY_STORE_OPERATIONS.has(operation) ? 'identitystore' : 'sso'}:${operation}`;
}

/** Marks a call that failed and was recorded; whoever catches it clears the completeness flag concerned. */
class CallFailed extends Error {}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export async function readLiveState(options: ReadLiveStateOptions): Promise<LiveState> {
  const reader = new Reader(options);
  try {
    return await reader.read();
  } finally {
    reader.destroy();
  }
}

class Reader {
  private readonly limiter: CallLimiter;
  /** Organizations' own rate (its quota is not Identity Center's); calls in flight are still bounded by `limiter`. */
  private readonly orgLimiter: CallLimiter;
  private readonly ids: IdentitystoreClient;
  private readonly sso: SSOAdminClient;
  private readonly org: OrganizationsClient;
  private readonly maxPages: number;
  private readonly pageSize: number;
  private readonly failures = new Map<string, { message: string; count: number }>();
  /** Permission set names learnt while searching for the declared ones. */
  private readonly describedNames = new Map<string, string>();
  /** Operations denied once: their answer is known, so they are not called again. */
  private readonly denied = new Set<string>();
  /** Set when the credentials are bad: every call after it stops at once. */
  private fatal: Error | undefined;
  private readonly complete: Completeness;

  constructor(private readonly options: ReadLiveStateOptions) {
    this.limiter = new CallLimiter({
      requestsPerSecond: options.requestsPerSecond ?? 20,
      concurrency: options.concurrency ?? 4,
    });
    const config = {
      ...(options.region ? { region: options.region } : {}),
      retryMode: 'adaptive',
      maxAttempts: options.maxAttempts ?? 6,
      // A hung connection is retried (TimeoutError is transient) instead of stalling the run.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    };
    // The SDK warns on stderr about Node.js 20, which idc-guard supports; that line would break the CLI's
    // contract of one clear line on stderr, so it is off unless the user set the variable.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // Endpoints: the SDK itself honours AWS_ENDPOINT_URL_IDENTITYSTORE / AWS_ENDPOINT_URL_SSO_ADMIN, then
    // AWS_ENDPOINT_URL (and endpoint_url in the shared config), so nothing is passed here.
    this.ids = this.limiter.attach(new IdentitystoreClient(config));
    this.sso = this.limiter.attach(new SSOAdminClient(config));
    // Organizations has one endpoint (us-east-1); the SDK signs for it whatever the region.
    this.orgLimiter = new CallLimiter({ requestsPerSecond: options.requestsPerSecond ?? 20, concurrency: 1 });
    this.org = this.orgLimiter.attach(new OrganizationsClient(config), 'organizations:');
    this.maxPages = options.maxPages ?? 1000;
    this.pageSize = options.pageSize ?? 100;
    this.complete = {
      groups: true,
      users: true,
      memberships: true,
      permissionSets: true,
      assignments: options.strategy === 'all' ? 'all' : 'principals',
    };
  }

  destroy(): void {
    this.ids.destroy();
    this.sso.destroy();
    this.org.destroy();
  }

  async read(): Promise<LiveState> {
    const readAt = new Date().toISOString();
    let region: string;
    try {
      region = await this.sso.config.region();
    } catch (error) {
      throw new Error(
        `AWS region is not set (${(error as Error).message}): set AWS_REGION or the region of the IdentityCenter declaration`,
        { cause: error },
      );
    }
    const instance = await this.instance(region);
    const [content, organization] = await Promise.all([
      (this.options.strategy === 'all' ? this.readAll(instance) : this.readPrincipals(instance)) as Promise<{
        groups: LiveGroup[];
        users: LiveUser[];
        permissionSets: LivePermissionSet[];
        assignments: LiveAssignment[];
        permissionSetNames?: Record<string, string>;
      }>,
      // At the same time: Organizations is another service, with its own quota.
      this.options.organization ? this.organization(this.options.organization) : undefined,
    ]);
    if (this.fatal) throw this.fatal;
    return {
      version: 1,
      readAt,
      instance,
      groups: content.groups.sort(
        (a, b) => compare(a.displayName, b.displayName) || compare(a.groupId, b.groupId),
      ),
      users: content.users.sort((a, b) => compare(a.userName, b.userName) || compare(a.userId, b.userId)),
      permissionSets: content.permissionSets.sort((a, b) => compare(a.name, b.name) || compare(a.arn, b.arn)),
      assignments: sortAssignments(content.assignments),
      ...(content.permissionSetNames && Object.keys(content.permissionSetNames).length > 0
        ? { permissionSetNames: content.permissionSetNames }
        : {}),
      ...(organization ? { organization } : {}),
      complete: this.complete,
      failures: [...this.failures.entries()].map(([key, f]) => ({
        operation: key.split(' ')[0],
        message: f.count > 1 ? `${f.message} (and ${f.count - 1} more like it)` : f.message,
      })),
      apiCalls: sortByKey({ ...this.limiter.calls(), ...this.orgLimiter.calls() }),
    };
  }

  // ----------------------------------------------------------------------------------------------------------
  // The instance
  // ----------------------------------------------------------------------------------------------------------

  private async instance(region: string): Promise<LiveState['instance']> {
    const { instanceArn, identityStoreId } = this.options;
    if (instanceArn && identityStoreId) return { instanceArn, identityStoreId, region };
    let instances;
    try {
      instances = await this.pages('ListInstances', 'the Identity Center instances', async (token) => {
        const page = await this.sso.send(
          new ListInstancesCommand({ MaxResults: this.pageSize, NextToken: token }),
        );
        return { items: page.Instances ?? [], next: page.NextToken };
      });
    } catch (error) {
      if (error instanceof CallFailed) {
        const failure = [...this.failures.values()][0];
        throw new Error(`Could not find the Identity Center instance: ${failure?.message ?? error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
    const matching = instances.filter(
      (i) =>
        (!instanceArn || i.InstanceArn === instanceArn) &&
        (!identityStoreId || i.IdentityStoreId === identityStoreId),
    );
    const given = instanceArn
      ? ` with ARN ${instanceArn}`
      : identityStoreId
        ? ` with identity store ${identityStoreId}`
        : '';
    if (matching.length !== 1 || !matching[0].InstanceArn || !matching[0].IdentityStoreId) {
      const found = instances.map((i) => i.InstanceArn).join(', ');
      throw new Error(
        matching.length === 0
          ? `No IAM Identity Center instance${given} found in ${region}` +
              (found ? ` (found: ${found})` : '') +
              '; check the region, or set instanceArn and identityStoreId in the IdentityCenter declaration'
          : `${matching.length} IAM Identity Center instances found in ${region} (${found}); ` +
              'choose one with instanceArn and identityStoreId in the IdentityCenter declaration',
      );
    }
    const found = { instanceArn: matching[0].InstanceArn, identityStoreId: matching[0].IdentityStoreId };
    return instanceArn || identityStoreId ? { ...found, region } : { ...found, region, discovered: true };
  }

  // ----------------------------------------------------------------------------------------------------------
  // 'all': everything, assignments only for provisioned (account, permission set) pairs
  // ----------------------------------------------------------------------------------------------------------

  private async readAll(instance: { instanceArn: string; identityStoreId: string }) {
    const { instanceArn, identityStoreId } = instance;
    const groups: LiveGroup[] = [];
    const users: LiveUser[] = [];
    const permissionSets: LivePermissionSet[] = [];
    const assignments: LiveAssignment[] = [];

    const readGroups = async () => {
      const listed = await this.listing(
        'ListGroups',
        'the groups',
        this.groupsPage(identityStoreId),
        () => (this.complete.groups = false),
      );
      await Promise.all(
        listed.map(async (g) => {
          const group = toGroup(g);
          groups.push(group);
          const members = await this.members(identityStoreId, group);
          if (members) group.memberUserIds = members;
        }),
      );
    };

    const readUsers = async () => {
      const listed = await this.listing(
        'ListUsers',
        'the users',
        this.usersPage(identityStoreId),
        () => (this.complete.users = false),
      );
      users.push(...listed.map(toUser));
    };

    const readPermissionSets = async () => {
      const arns = await this.listing(
        'ListPermissionSets',
        'the permission sets',
        this.permissionSetsPage(instanceArn),
        () => {
          this.complete.permissionSets = false;
          this.complete.assignments = false; // the assignments of a set not listed are not read
        },
      );
      await Promise.all(
        unique(arns).map(async (arn) => {
          const [permissionSet, provisioned] = await Promise.all([
            this.permissionSet(instanceArn, arn),
            this.provisionedAccounts(instanceArn, arn),
          ]);
          if (permissionSet) {
            permissionSet.provisionedAccounts = provisioned ?? [];
            permissionSets.push(permissionSet);
          }
          if (!provisioned) {
            this.complete.assignments = false;
            return;
          }
          await Promise.all(
            provisioned.map(async ({ accountId }) => {
              const found = await this.listing(
                'ListAccountAssignments',
                `the assignments of ${arn} in ${accountId}`,
                async (token) => {
                  const page = await this.sso.send(
                    new ListAccountAssignmentsCommand({
                      InstanceArn: instanceArn,
                      AccountId: accountId,
                      PermissionSetArn: arn,
                      MaxResults: this.pageSize,
                      NextToken: token,
                    }),
                  );
                  return { items: page.AccountAssignments ?? [], next: page.NextToken };
                },
                () => (this.complete.assignments = false),
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

  // ----------------------------------------------------------------------------------------------------------
  // 'principals': only what the declarations concern
  // ----------------------------------------------------------------------------------------------------------

  private async readPrincipals(instance: { instanceArn: string; identityStoreId: string }) {
    const { instanceArn, identityStoreId } = instance;
    const wanted = this.options.principals ?? { groups: [], users: [], permissionSets: [] };
    const groups: LiveGroup[] = [];
    const userIds = new Set<string>();
    const assignments: LiveAssignment[] = [];

    const assignmentsOf = async (principalType: 'GROUP' | 'USER', principalId: string, name: string) => {
      const found = await this.listing(
        'ListAccountAssignmentsForPrincipal',
        `the assignments of ${principalType.toLowerCase()} ${name}`,
        async (token) => {
          const page = await this.sso.send(
            new ListAccountAssignmentsForPrincipalCommand({
              InstanceArn: instanceArn,
              PrincipalType: principalType,
              PrincipalId: principalId,
              MaxResults: this.pageSize,
              NextToken: token,
            }),
          );
          return { items: page.AccountAssignments ?? [], next: page.NextToken };
        },
        () => (this.complete.assignments = false),
      );
      assignments.push(...found.flatMap((a) => toAssignment(a)));
    };

    // The Identity Store finds a group by its display name and a user by its userName (unique attributes).
    const byUnique = (path: 'displayName' | 'userName', value: string) => ({
      IdentityStoreId: identityStoreId,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: value } },
    });

    // The declared groups: from ListGroups pages while that is the cheaper way, by name for the rest.
    const wantedGroups = unique(wanted.groups);
    const listedGroups = await this.listWhileCheaper(
      'ListGroups',
      'the groups',
      this.groupsPage(identityStoreId),
      new Set(wantedGroups.map(nameKey)),
      (g) => (g.DisplayName === undefined ? undefined : nameKey(g.DisplayName)),
      2, // a group by name costs GetGroupId + DescribeGroup
    );

    const readGroup = async (displayName: string) => {
      let described: Group | undefined = listedGroups.found.get(nameKey(displayName));
      if (!described && !listedGroups.complete) {
        const groupId = await this.optional(
          'GetGroupId',
          `group ${displayName}`,
          async () =>
            (await this.ids.send(new GetGroupIdCommand(byUnique('displayName', displayName)))).GroupId,
          () => (this.complete.groups = false),
        );
        if (!groupId) return;
        described = await this.optional(
          'DescribeGroup',
          `group ${displayName}`,
          () =>
            this.ids.send(new DescribeGroupCommand({ IdentityStoreId: identityStoreId, GroupId: groupId })),
          () => (this.complete.groups = false),
        );
      }
      if (!described?.GroupId) return;
      const group = toGroup(described);
      groups.push(group);
      await Promise.all([
        (async () => {
          const members = await this.members(identityStoreId, group);
          if (members) group.memberUserIds = members;
          for (const id of members ?? []) userIds.add(id);
        })(),
        assignmentsOf('GROUP', group.groupId, displayName),
      ]);
    };

    const readUser = async (userName: string) => {
      const userId = await this.optional(
        'GetUserId',
        `user ${userName}`,
        async () => (await this.ids.send(new GetUserIdCommand(byUnique('userName', userName)))).UserId,
        () => (this.complete.users = false),
      );
      if (!userId) return;
      userIds.add(userId);
      await assignmentsOf('USER', userId, userName);
    };

    const [, permissionSets] = await Promise.all([
      Promise.all([...wantedGroups.map(readGroup), ...unique(wanted.users).map(readUser)]),
      this.declaredPermissionSets(instanceArn, unique(wanted.permissionSets)),
    ]);

    // Members of the declared groups and the declared users, each read once: from ListUsers pages while
    // that is the cheaper way, described one by one for the rest.
    const listedUsers = await this.listWhileCheaper(
      'ListUsers',
      'the users',
      this.usersPage(identityStoreId),
      userIds,
      (u) => u.UserId,
      1,
    );
    const users: LiveUser[] = [...listedUsers.found.values()].map(toUser);
    await Promise.all(
      [...userIds]
        .filter((id) => !listedUsers.found.has(id) && !listedUsers.complete)
        .map(async (userId) => {
          const described = await this.optional(
            'DescribeUser',
            `user ${userId}`,
            () =>
              this.ids.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: userId })),
            () => (this.complete.users = false),
          );
          if (described) users.push(toUser(described));
        }),
    );
    // The names of undeclared permission sets that the declared principals hold (IDC106 names them):
    // described during the search already, or now, once each.
    const permissionSetNames = record<string>();
    const known = new Set(permissionSets.map((p) => p.arn));
    await Promise.all(
      unique(assignments.map((a) => a.permissionSetArn))
        .filter((arn) => !known.has(arn))
        .map(async (arn) => {
          const name =
            this.describedNames.get(arn) ?? (await this.describePermissionSet(instanceArn, arn))?.name;
          if (name) permissionSetNames[arn] = name;
        }),
    );
    return { groups, users, permissionSets, assignments, permissionSetNames };
  }

  /** One page of the identity store's groups. */
  private groupsPage(identityStoreId: string) {
    return async (token: string | undefined) => {
      const page = await this.ids.send(
        new ListGroupsCommand({
          IdentityStoreId: identityStoreId,
          MaxResults: this.pageSize,
          NextToken: token,
        }),
      );
      return { items: page.Groups ?? [], next: page.NextToken };
    };
  }

  /** One page of the instance's permission set ARNs. */
  private permissionSetsPage(instanceArn: string) {
    return async (token: string | undefined) => {
      const page = await this.sso.send(
        new ListPermissionSetsCommand({
          InstanceArn: instanceArn,
          MaxResults: this.pageSize,
          NextToken: token,
        }),
      );
      return { items: page.PermissionSets ?? [], next: page.NextToken };
    };
  }

  /** One page of the identity store's users. */
  private usersPage(identityStoreId: string) {
    return async (token: string | undefined) => {
      const page = await this.ids.send(
        new ListUsersCommand({
          IdentityStoreId: identityStoreId,
          MaxResults: this.pageSize,
          NextToken: token,
        }),
      );
      return { items: page.Users ?? [], next: page.NextToken };
    };
  }

  /**
   * Finds `wanted` items in a listing, reading its pages only while that is the cheaper way: a page of 100
   * costs one call, where each wanted item alone costs `callsEach`. The pages read stay within the calls the
   * items alone would cost, so a PR check is never dearer than looking each item up, and costs the listing's
   * pages when they are fewer (a small store, or many wanted items): at most twice the cheaper way, whatever
   * the store's size, which is not known before listing it. `complete`: the whole listing was read, so a
   * wanted item not found does not exist. A failed page ends the listing early; the items then are looked up.
   */
  private async listWhileCheaper<T>(
    operation: string,
    what: string,
    page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
    wanted: ReadonlySet<string>,
    keyOf: (item: T) => string | undefined,
    callsEach: number,
  ): Promise<{ found: Map<string, T>; complete: boolean }> {
    const found = new Map<string, T>();
    const budget = this.options.listWhileCheaper === false ? 0 : wanted.size * callsEach;
    let token: string | undefined;
    for (let pages = 0; found.size < wanted.size && pages < budget; pages++) {
      let result;
      try {
        result = await this.call(operation, what, () => page(token));
      } catch (error) {
        if (!(error instanceof CallFailed)) throw error;
        return { found, complete: false };
      }
      for (const item of result.items) {
        const key = keyOf(item);
        if (key !== undefined && wanted.has(key)) found.set(key, item);
      }
      token = result.next || undefined;
      if (!token) return { found, complete: true };
    }
    return { found, complete: false };
  }

  /** Finds the declared permission sets by name (describing listed sets until all are found), then reads them. */
  private async declaredPermissionSets(instanceArn: string, names: string[]): Promise<LivePermissionSet[]> {
    if (names.length === 0) return [];
    const arns = await this.listing(
      'ListPermissionSets',
      'the permission sets',
      this.permissionSetsPage(instanceArn),
      () => (this.complete.permissionSets = false),
    );
    const missing = new Set(names);
    const found: LivePermissionSet[] = [];
    const queue = unique(arns);
    // `concurrency` workers describe the listed sets in turn and stop once every declared set is found: the
    // other sets' names are not needed.
    const worker = async () => {
      for (let arn = queue.shift(); arn !== undefined && missing.size > 0; arn = queue.shift()) {
        const described = await this.describePermissionSet(instanceArn, arn);
        if (described) this.describedNames.set(arn, described.name);
        if (!described || !missing.has(described.name)) continue;
        missing.delete(described.name);
        const [details, provisioned] = await Promise.all([
          this.permissionSetDetails(instanceArn, described),
          this.provisionedAccounts(instanceArn, arn),
        ]);
        details.provisionedAccounts = provisioned ?? [];
        found.push(details);
      }
    };
    await Promise.all(Array.from({ length: this.limiter.semaphore.limit }, worker));
    return found;
  }

  // ----------------------------------------------------------------------------------------------------------
  // Pieces shared by both strategies
  // ----------------------------------------------------------------------------------------------------------

  /** The member user IDs of a group, or undefined when they could not be read in full. */
  private async members(identityStoreId: string, group: LiveGroup): Promise<string[] | undefined> {
    let failed = false;
    const memberships = await this.listing(
      'ListGroupMemberships',
      `members of group ${group.displayName}`,
      async (token) => {
        const page = await this.ids.send(
          new ListGroupMembershipsCommand({
            IdentityStoreId: identityStoreId,
            GroupId: group.groupId,
            MaxResults: this.pageSize,
            NextToken: token,
          }),
        );
        return { items: page.GroupMemberships ?? [], next: page.NextToken };
      },
      () => {
        failed = true;
        this.complete.memberships = false;
      },
    );
    if (failed) return undefined; // never a partial member list
    const ids = memberships.flatMap((m) => {
      const member = m.MemberId as { UserId?: string } | undefined;
      return member?.UserId ? [member.UserId] : [];
    });
    return unique(ids).sort(compare);
  }

  private async describePermissionSet(
    instanceArn: string,
    arn: string,
  ): Promise<LivePermissionSet | undefined> {
    const described = await this.optional(
      'DescribePermissionSet',
      `permission set ${arn}`,
      () =>
        this.sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
      () => (this.complete.permissionSets = false),
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
  private async permissionSet(instanceArn: string, arn: string): Promise<LivePermissionSet | undefined> {
    const described = await this.describePermissionSet(instanceArn, arn);
    return described && this.permissionSetDetails(instanceArn, described);
  }

  private async permissionSetDetails(instanceArn: string, ps: LivePermissionSet): Promise<LivePermissionSet> {
    const target = { InstanceArn: instanceArn, PermissionSetArn: ps.arn };
    const incomplete = () => (this.complete.permissionSets = false);
    const of = `of permission set ${ps.name}`;
    const [managed, customer, inline, boundary, tags] = await Promise.all([
      this.listing(
        'ListManagedPoliciesInPermissionSet',
        `the managed policies ${of}`,
        async (token) => {
          const page = await this.sso.send(
            new ListManagedPoliciesInPermissionSetCommand({
              ...target,
              MaxResults: this.pageSize,
              NextToken: token,
            }),
          );
          return { items: page.AttachedManagedPolicies ?? [], next: page.NextToken };
        },
        incomplete,
      ),
      this.listing(
        'ListCustomerManagedPolicyReferencesInPermissionSet',
        `the customer managed policy references ${of}`,
        async (token) => {
          const page = await this.sso.send(
            new ListCustomerManagedPolicyReferencesInPermissionSetCommand({
              ...target,
              MaxResults: this.pageSize,
              NextToken: token,
            }),
          );
          return { items: page.CustomerManagedPolicyReferences ?? [], next: page.NextToken };
        },
        incomplete,
      ),
      this.optional(
        'GetInlinePolicyForPermissionSet',
        `the inline policy ${of}`,
        async () => (await this.sso.send(new GetInlinePolicyForPermissionSetCommand(target))).InlinePolicy,
        incomplete,
      ),
      // ResourceNotFoundException here means "no boundary".
      this.optional(
        'GetPermissionsBoundaryForPermissionSet',
        `the permissions boundary ${of}`,
        async () =>
          (await this.sso.send(new GetPermissionsBoundaryForPermissionSetCommand(target)))
            .PermissionsBoundary,
        incomplete,
      ),
      this.listing(
        'ListTagsForResource',
        `the tags ${of}`,
        async (token) => {
          const page = await this.sso.send(
            new ListTagsForResourceCommand({
              InstanceArn: instanceArn,
              ResourceArn: ps.arn,
              NextToken: token,
            }),
          );
          return { items: page.Tags ?? [], next: page.NextToken };
        },
        incomplete,
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
   * when they could not be read in full. The second, filtered listing is skipped when there is no account.
   */
  private async provisionedAccounts(
    instanceArn: string,
    arn: string,
  ): Promise<LivePermissionSet['provisionedAccounts'] | undefined> {
    let failed = false;
    const onFailure = () => {
      failed = true;
      this.complete.permissionSets = false;
    };
    const list = (status?: 'LATEST_PERMISSION_SET_NOT_PROVISIONED') =>
      this.listing(
        'ListAccountsForProvisionedPermissionSet',
        `the accounts ${arn} is provisioned to`,
        async (token) => {
          const page = await this.sso.send(
            new ListAccountsForProvisionedPermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: arn,
              ProvisioningStatus: status,
              MaxResults: this.pageSize,
              NextToken: token,
            }),
          );
          return { items: page.AccountIds ?? [], next: page.NextToken };
        },
        onFailure,
      );
    const all = unique(await list());
    if (failed) return undefined;
    if (all.length === 0) return [];
    const outdated = new Set(await list('LATEST_PERMISSION_SET_NOT_PROVISIONED'));
    // Without the filtered listing every account is still known; only `current` is unsure (flagged above).
    return all.sort(compare).map((accountId) => ({ accountId, current: !outdated.has(accountId) }));
  }

  // ----------------------------------------------------------------------------------------------------------
  // AWS Organizations
  // ----------------------------------------------------------------------------------------------------------

  /**
   * The organization: its management account, and when asked the whole tree (root, every OU, every account,
   * one ListOrganizationalUnitsForParent and one ListAccountsForParent listing per parent) and the accounts'
   * tags (one ListTagsForResource each). Undefined when DescribeOrganization fails; `complete.organization`
   * is false when any part could not be read.
   */
  private async organization(want: {
    structure: boolean;
    tags: boolean;
  }): Promise<LiveOrganization | undefined> {
    this.complete.organization = true;
    const failed = () => (this.complete.organization = false);
    const described = await this.optional(
      'organizations:DescribeOrganization',
      'the organization',
      async () => (await this.org.send(new DescribeOrganizationCommand({}))).Organization,
      failed,
    );
    if (!described?.Id || !described.MasterAccountId) {
      failed();
      return undefined;
    }
    const organization: LiveOrganization = {
      id: described.Id,
      managementAccountId: described.MasterAccountId,
    };
    if (!want.structure) return organization;
    const roots = await this.listing(
      'organizations:ListRoots',
      'the organization root',
      async (token) => {
        const page = await this.org.send(new ListRootsCommand({ MaxResults: 20, NextToken: token }));
        return { items: page.Roots ?? [], next: page.NextToken };
      },
      failed,
    );
    const rootId = roots[0]?.Id;
    if (!rootId) {
      failed();
      return organization;
    }
    const ous: NonNullable<LiveOrganization['organizationalUnits']> = [];
    const accounts: LiveAccount[] = [];
    // Organizations pages of at most 20 for OUs and accounts.
    const walk = async (parentId: string): Promise<void> => {
      const [children, members] = await Promise.all([
        this.listing(
          'organizations:ListOrganizationalUnitsForParent',
          `the OUs in ${parentId}`,
          async (token) => {
            const page = await this.org.send(
              new ListOrganizationalUnitsForParentCommand({
                ParentId: parentId,
                MaxResults: 20,
                NextToken: token,
              }),
            );
            return { items: page.OrganizationalUnits ?? [], next: page.NextToken };
          },
          failed,
        ),
        this.listing(
          'organizations:ListAccountsForParent',
          `the accounts in ${parentId}`,
          async (token) => {
            const page = await this.org.send(
              new ListAccountsForParentCommand({ ParentId: parentId, MaxResults: 20, NextToken: token }),
            );
            return { items: page.Accounts ?? [], next: page.NextToken };
          },
          failed,
        ),
      ]);
      accounts.push(...members.flatMap((a) => toAccount(a, parentId)));
      const found = children.flatMap((ou) =>
        ou.Id ? [{ id: ou.Id, name: ou.Name ?? ou.Id, parentId }] : [],
      );
      ous.push(...found);
      await Promise.all(found.map((ou) => walk(ou.id)));
    };
    await walk(rootId);
    if (want.tags) {
      await Promise.all(
        accounts.map(async (account) => {
          const tags = await this.listing(
            'organizations:ListTagsForResource',
            `the tags of account ${account.id}`,
            async (token) => {
              const page = await this.org.send(
                new ListOrganizationTagsCommand({ ResourceId: account.id, NextToken: token }),
              );
              return { items: page.Tags ?? [], next: page.NextToken };
            },
            failed,
          );
          account.tags = Object.fromEntries(
            tags.flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])).sort((a, b) => compare(a[0], b[0])),
          );
        }),
      );
    }
    return {
      ...organization,
      rootId,
      organizationalUnits: ous.sort((a, b) => compare(a.id, b.id)),
      accounts: accounts.sort((a, b) => compare(a.id, b.id)),
    };
  }

  // ----------------------------------------------------------------------------------------------------------
  // Calls, pages and failures
  // ----------------------------------------------------------------------------------------------------------

  /**
   * Reads every page of a listing. On failure (recorded) it calls `onFailure` and returns what was read; a
   * page loop that reaches maxPages is a failure too, since a listing that does not end is not complete.
   */
  private async listing<T>(
    operation: string,
    what: string,
    page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
    onFailure: () => void,
  ): Promise<T[]> {
    try {
      return await this.pages(operation, what, page);
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error;
      onFailure();
      return (error as CallFailed & { partial?: T[] }).partial ?? [];
    }
  }

  private async pages<T>(
    operation: string,
    what: string,
    page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let n = 0; n < this.maxPages; n++) {
      let result;
      try {
        result = await this.call(operation, what, () => page(token));
      } catch (error) {
        if (error instanceof CallFailed) Object.assign(error, { partial: items });
        throw error;
      }
      items.push(...result.items);
      token = result.next || undefined;
      if (!token) return items;
    }
    this.record(
      operation,
      'maxPages',
      `could not read ${what}: the listing stopped after ${this.maxPages} pages without reaching the end, ` +
        'so what was read is incomplete',
    );
    throw Object.assign(new CallFailed(operation), { partial: items });
  }

  /** A call whose ResourceNotFoundException means "absent" (undefined); other failures call `onFailure`. */
  private async optional<T>(
    operation: string,
    what: string,
    send: () => Promise<T>,
    onFailure: () => void,
  ): Promise<T | undefined> {
    try {
      return await this.call(operation, what, send, { notFound: true });
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error;
      onFailure();
      return undefined;
    }
  }

  /**
   * One call (all its attempts) within the concurrency bound. Its error is classified before its slot is
   * released, so that a call waiting for the slot already knows that the operation is denied or that the
   * credentials are bad. Throws the fatal credentials error, or CallFailed once the failure is recorded.
   */
  private async call<T>(
    operation: string,
    what: string,
    send: () => Promise<T>,
    { notFound = false } = {},
  ): Promise<T> {
    const skipped = new CallFailed(operation);
    let failure: { name: string; error: ErrorLike } | undefined;
    try {
      return await this.limiter.run(async () => {
        if (this.fatal) throw this.fatal;
        if (this.denied.has(operation)) throw skipped; // its answer is known
        try {
          return await send();
        } catch (caught) {
          const error = caught as ErrorLike;
          const name = error.name ?? 'Error';
          failure = { name, error };
          if (CREDENTIAL_ERRORS.has(name)) {
            this.fatal ??= new AwsCredentialsError(
              `AWS credentials expired or invalid: ${name}: ${error.message ?? ''}`.trim(),
              { cause: caught },
            );
          } else if (ACCESS_DENIED.has(name)) this.denied.add(operation);
          throw caught;
        }
      });
    } catch (caught) {
      if (this.fatal) throw this.fatal;
      if (caught === skipped) {
        this.record(operation, 'denied', '');
        throw skipped;
      }
      const { name, error } = failure ?? { name: 'Error', error: caught as ErrorLike };
      if (notFound && name === NOT_FOUND) return undefined as T;
      if (ACCESS_DENIED.has(name)) {
        this.record(
          operation,
          'denied',
          `Access denied to ${iamAction(operation)}: allow it in the IAM policy of the role idc-guard runs as ` +
            `(AWS: ${error.message ?? name})`,
        );
        throw new CallFailed(operation);
      }
      const attempts = error.$metadata?.attempts;
      this.record(
        operation,
        name,
        `could not read ${what}${attempts && attempts > 1 ? ` (${attempts} attempts)` : ''}: ` +
          `${name}: ${error.message ?? ''}`.trimEnd(),
      );
      throw new CallFailed(operation);
    }
  }

  /** One entry per operation and kind of failure; later ones of the same kind only add to its count. */
  private record(operation: string, kind: string, message: string): void {
    const key = `${operation} ${kind}`;
    const known = this.failures.get(key);
    if (known) known.count += 1;
    else this.failures.set(key, { message, count: 1 });
  }
}

// ------------------------------------------------------------------------------------------------------------
// Shapes
// ------------------------------------------------------------------------------------------------------------

function toAccount(a: Account, parentId: string): LiveAccount[] {
  if (!a.Id) return [];
  return [{ id: a.Id, ...(a.Name ? { name: a.Name } : {}), status: a.Status ?? 'ACTIVE', parentId }];
}

function externalIds(list: { Issuer?: string; Id?: string }[] | undefined): ExternalId[] {
  return (list ?? []).flatMap((e) => (e.Issuer && e.Id ? [{ issuer: e.Issuer, id: e.Id }] : []));
}

function toGroup(g: Group): LiveGroup {
  return {
    groupId: g.GroupId!,
    displayName: g.DisplayName ?? '',
    ...(g.Description ? { description: g.Description } : {}),
    externalIds: externalIds(g.ExternalIds),
  };
}

function toUser(u: User): LiveUser {
  const emails = u.Emails ?? [];
  const email = (emails.find((e) => e.Primary) ?? (emails.length === 1 ? emails[0] : undefined))?.Value;
  const active = u.UserStatus === 'DISABLED' ? false : u.UserStatus === 'ENABLED' ? true : undefined;
  return {
    userId: u.UserId!,
    userName: u.UserName ?? '',
    ...(u.DisplayName ? { displayName: u.DisplayName } : {}),
    ...(u.Name?.GivenName ? { givenName: u.Name.GivenName } : {}),
    ...(u.Name?.FamilyName ? { familyName: u.Name.FamilyName } : {}),
    ...(email ? { email } : {}),
    ...(active !== undefined ? { active } : {}),
    externalIds: externalIds(u.ExternalIds),
  };
}

function toAssignment(a: {
  AccountId?: string;
  PermissionSetArn?: string;
  PrincipalType?: string;
  PrincipalId?: string;
}): LiveAssignment[] {
  if (!a.AccountId || !a.PermissionSetArn || !a.PrincipalId) return [];
  if (a.PrincipalType !== 'GROUP' && a.PrincipalType !== 'USER') return [];
  return [
    {
      accountId: a.AccountId,
      permissionSetArn: a.PermissionSetArn,
      principalType: a.PrincipalType,
      principalId: a.PrincipalId,
    },
  ];
}

function sortAssignments(list: LiveAssignment[]): LiveAssignment[] {
  const key = (a: LiveAssignment) =>
    `${a.accountId}\u0000${a.permissionSetArn}\u0000${a.principalType}\u0000${a.principalId}`;
  const seen = new Map<string, LiveAssignment>();
  for (const a of list) seen.set(key(a), a);
  return [...seen.entries()].sort(([a], [b]) => compare(a, b)).map(([, a]) => a);
}

function sortByKey<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => compare(a, b)));
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
