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
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { paginateListInstances, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AwsCalls, CallFailed } from './calls.js';
import { clientConfig, type ClientOptions } from './clients.js';
import { CallLimiter } from './rate-limit.js';
import { readAll } from './read-all.js';
import { readOrganization } from './read-organization.js';
import { readPrincipals, type ReadScope } from './read-principals.js';

import { compare, sortAssignments, sortByKey } from './shapes.js';
import type { LiveAssignment, LiveGroup, LivePermissionSet, LiveState, LiveUser } from './types.js';

export interface ReadLiveStateOptions extends ClientOptions {
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
  /** Client-side limit over both APIs, every attempt counted (default 20; 0 turns it off). */
  requestsPerSecond?: number;
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  /** A page loop that reaches this many pages stops, and its listing counts as failed (default 1000). */
  maxPages?: number;
  /** MaxResults of every listing that has it (default 100, the APIs' maximum). Tests use less to page. */
  pageSize?: number;
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

export { AwsCredentialsError, iamAction, READ_OPERATIONS } from './calls.js';

export async function readLiveState(options: ReadLiveStateOptions): Promise<LiveState> {
  const reader = new Reader(options);
  try {
    return await reader.read();
  } finally {
    reader.destroy();
  }
}

/** The reader's state and its calls; read-principals.ts and read-organization.ts use them (internal). */
export class Reader extends AwsCalls {
  /** Organizations' own rate (its quota is not Identity Center's); calls in flight are still bounded by `limiter`. */
  readonly orgLimiter: CallLimiter;
  readonly ids: IdentitystoreClient;
  readonly sso: SSOAdminClient;
  readonly org: OrganizationsClient;
  readonly pageSize: number;
  /** Permission set names learnt while searching for the declared ones. */
  readonly describedNames = new Map<string, string>();
  /** What a scoped read looked at (LiveState.scope). */
  scope: LiveState['scope'];
  /** What was left out because no rule uses it (LiveState.notRead). */
  readonly notRead = new Set<NonNullable<LiveState['notRead']>[number]>();

  constructor(readonly options: ReadLiveStateOptions) {
    super(
      new CallLimiter({
        requestsPerSecond: options.requestsPerSecond ?? 20,
        concurrency: options.concurrency ?? 4,
      }),
      options.maxPages ?? 1000,
      {
        groups: true,
        users: true,
        memberships: true,
        permissionSets: true,
        assignments: options.strategy === 'all' ? 'all' : 'principals',
      },
    );
    const config = clientConfig(options);
    this.ids = this.limiter.attach(new IdentitystoreClient(config as object));
    this.sso = this.limiter.attach(new SSOAdminClient(config as object));
    // Organizations has one endpoint (us-east-1); the SDK signs for it whatever the region.
    this.orgLimiter = new CallLimiter({ requestsPerSecond: options.requestsPerSecond ?? 20, concurrency: 1 });
    this.org = this.orgLimiter.attach(new OrganizationsClient(config as object), 'organizations:');
    this.pageSize = options.pageSize ?? 100;
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
      (this.options.strategy === 'all'
        ? readAll(this, instance)
        : readPrincipals(this, instance)) as Promise<{
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
      instances = await this.pages(
        'ListInstances',
        'the Identity Center instances',
        paginateListInstances({ client: this.sso, pageSize: this.pageSize }, {}),
        (page) => page.Instances,
      );
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
}
