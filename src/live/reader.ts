/**
 * Reads the live Identity Center state through the Identity Store and SSO Admin APIs, read-only (List*,
 * Describe*, Get* only), within Identity Center's account-wide limit of about 20 requests a second.
 *
 * Two strategies:
 * - 'all' (drift mode) reads every group, user, membership, permission set and assignment. Assignments are
 *   listed only for the (account, permission set) pairs that are provisioned, not for every pair.
 * - 'principals' (a check) reads only what the declarations concern, or a narrower `scope` (a PR check): the
 *   groups and users wanted (by name), the members of those groups, the permission sets wanted, and the
 *   wanted principals' assignments, by whichever route costs fewer calls (read-principals.ts).
 *
 * Neither reads what no rule uses unless `fullDetail` asks (snapshot, init): the permission sets' tags, and
 * in 'principals' the accounts that have a permission set's latest version. `notRead` in the state says so.
 *
 * What cannot be read (AccessDenied, a 5xx that survives the retries, a page loop that does not end) is
 * recorded in `failures`, and the completeness flag it affects is false; everything else is still read.
 * Expired or invalid credentials stop the read with one clear Error.
 */
import {
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import {
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { CallLimiter } from './rate-limit.js';
import { readOrganization } from './read-organization.js';
import { provisionedAccounts, readPermissionSet } from './read-permission-sets.js';
import { readPrincipals, type ReadScope } from './read-principals.js';

import {
  CallFailed,
  compare,
  sortAssignments,
  sortByKey,
  toAssignment,
  toGroup,
  toUser,
  unique,
} from './shapes.js';
import type { LiveAssignment, LiveGroup, LivePermissionSet, LiveState, LiveUser } from './types.js';

export interface ReadLiveStateOptions {
  /** Overrides the SDK's region chain (AWS_REGION, the profile's region, …). */
  region?: string;
  instanceArn?: string;
  identityStoreId?: string;
  /** 'all' for drift mode; 'principals' for a PR check (needs `principals`). */
  strategy: 'principals' | 'all';
  /** For 'principals': group display names, userNames and permission set names the declarations concern. */
  principals?: { groups: string[]; users: string[]; permissionSets: string[] };
  /**
   * For 'principals': read only these instead of `principals` (a PR check: what the change touches), and
   * record them in the state's `scope`. Ignored by 'all'.
   */
  scope?: ReadScope;
  /**
   * Read what only snapshot and init use: the permission sets' tags and, in 'principals', every account a
   * permission set is provisioned to (not only those lacking its latest version). No rule needs them.
   */
  fullDetail?: boolean;
  /** Tests and the bench: serve every call in memory (an SDK HttpHandler), with these credentials. */
  transport?: { requestHandler: unknown; credentials: { accessKeyId: string; secretAccessKey: string } };
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

/** The reader's state and its calls; read-principals.ts and read-organization.ts use them (internal). */
export class Reader {
  readonly limiter: CallLimiter;
  /** Organizations' own rate (its quota is not Identity Center's); calls in flight are still bounded by `limiter`. */
  readonly orgLimiter: CallLimiter;
  readonly ids: IdentitystoreClient;
  readonly sso: SSOAdminClient;
  readonly org: OrganizationsClient;
  readonly maxPages: number;
  readonly pageSize: number;
  readonly failures = new Map<string, { message: string; count: number }>();
  /** Permission set names learnt while searching for the declared ones. */
  readonly describedNames = new Map<string, string>();
  /** Operations denied once: their answer is known, so they are not called again. */
  readonly denied = new Set<string>();
  /** Set when the credentials are bad: every call after it stops at once. */
  fatal: Error | undefined;
  readonly complete: Completeness;
  /** What a scoped read looked at (LiveState.scope). */
  scope: LiveState['scope'];
  /** What was left out because no rule uses it (LiveState.notRead). */
  readonly notRead = new Set<NonNullable<LiveState['notRead']>[number]>();

  constructor(readonly options: ReadLiveStateOptions) {
    this.limiter = new CallLimiter({
      requestsPerSecond: options.requestsPerSecond ?? 20,
      concurrency: options.concurrency ?? 4,
    });
    const config = {
      ...(options.region ? { region: options.region } : {}),
      retryMode: 'adaptive',
      maxAttempts: options.maxAttempts ?? 6,
      // A hung connection is retried (TimeoutError is transient) instead of stalling the run.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } as unknown,
      ...(options.transport ?? {}),
    } as ConstructorParameters<typeof SSOAdminClient>[0] & object;
    // The SDK warns on stderr about Node.js 20, which idc-guard supports; that line would break the CLI's
    // contract of one clear line on stderr, so it is off unless the user set the variable.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // Endpoints: the SDK itself honours AWS_ENDPOINT_URL_IDENTITYSTORE / AWS_ENDPOINT_URL_SSO_ADMIN, then
    // AWS_ENDPOINT_URL (and endpoint_url in the shared config), so nothing is passed here.
    this.ids = this.limiter.attach(new IdentitystoreClient(config as object));
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
      (this.options.strategy === 'all' ? this.readAll(instance) : readPrincipals(this, instance)) as Promise<{
        groups: LiveGroup[];
        users: LiveUser[];
        permissionSets: LivePermissionSet[];
        assignments: LiveAssignment[];
        permissionSetNames?: Record<string, string>;
      }>,
      // At the same time: Organizations is another service, with its own quota.
      this.options.organization ? readOrganization(this, this.options.organization) : undefined,
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
      ...(this.scope ? { scope: this.scope } : {}),
      ...(this.notRead.size > 0 ? { notRead: [...this.notRead].sort(compare) } : {}),
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
            readPermissionSet(this, instanceArn, arn),
            provisionedAccounts(this, instanceArn, arn),
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
                this.assignmentsPage(instanceArn, accountId, arn),
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
  // Pieces shared by both strategies
  // ----------------------------------------------------------------------------------------------------------

  /** The member user IDs of a group, or undefined when they could not be read in full. */
  async members(identityStoreId: string, group: LiveGroup): Promise<string[] | undefined> {
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

  /** One page of the identity store's groups. */
  groupsPage(identityStoreId: string) {
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
  permissionSetsPage(instanceArn: string) {
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
  usersPage(identityStoreId: string) {
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

  /** One page of the assignments in one (account, permission set) pair. */
  assignmentsPage(instanceArn: string, accountId: string, permissionSetArn: string) {
    return async (token: string | undefined) => {
      const page = await this.sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: instanceArn,
          AccountId: accountId,
          PermissionSetArn: permissionSetArn,
          MaxResults: this.pageSize,
          NextToken: token,
        }),
      );
      return { items: page.AccountAssignments ?? [], next: page.NextToken };
    };
  }

  // ----------------------------------------------------------------------------------------------------------
  // Calls, pages and failures
  // ----------------------------------------------------------------------------------------------------------

  /**
   * Reads every page of a listing. On failure (recorded) it calls `onFailure` and returns what was read; a
   * page loop that reaches maxPages is a failure too, since a listing that does not end is not complete.
   */
  async listing<T>(
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

  async pages<T>(
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
  async optional<T>(
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
  async call<T>(
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
  record(operation: string, kind: string, message: string): void {
    const key = `${operation} ${kind}`;
    const known = this.failures.get(key);
    if (known) known.count += 1;
    else this.failures.set(key, { message, count: 1 });
  }
}
