// The reader's state and its calls, shared by the per-service reads (read-all, read-principals, ...).
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AwsCalls } from './calls.js';
import { clientConfig, type ClientOptions } from './clients.js';
import { CallLimiter } from './rate-limit.js';
import type { LiveState } from './types.js';

/** What a scoped read (a PR check) reads: group display names, userNames, permission set names. */
export interface ReadScope {
  groups: string[];
  users: string[];
  permissionSets: string[];
  /** Groups (among `groups`) whose members' attributes are read, for IDC104 and IDC110; default: all. */
  members?: string[];
}

/** The applications the declarations name: by ARN, or by name where they give no ARN; or every one (init). */
export type WantedApplications = { names: string[]; arns: string[] } | 'all';

export interface ReadLiveStateOptions extends ClientOptions {
  instanceArn?: string;
  identityStoreId?: string;
  /** drift: read everything; check: what the declarations concern (needs `principals`), as `--mode` says. */
  mode: 'check' | 'drift';
  /** For check mode: group display names, userNames and permission set names the declarations concern. */
  principals?: { groups: string[]; users: string[]; permissionSets: string[] };
  /**
   * For check mode: read only these instead of `principals` (a PR check: what the change touches), and
   * record them in the state's `scope`. Ignored in drift mode.
   */
  scope?: ReadScope;
  /**
   * Read what only snapshot and init use: the permission sets' tags and, in check mode, every account a
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
   * Check mode: find the declared groups and users in the ListGroups/ListUsers pages while that is cheaper
   * than looking each one up (default true); false looks every one up, at a cost that grows with the PR only.
   */
  listWhileCheaper?: boolean;
  /**
   * AWS Organizations: its management account (DescribeOrganization) always; the OUs and accounts when the
   * declarations target OUs, tags or the root (`structure`), and the accounts' tags when they target tags.
   */
  organization?: { structure: boolean; tags: boolean };
  /** The declared applications: every application is listed, and these are read in full. */
  applications?: WantedApplications;
  /** Read the instance's attributes for access control (declared ones are compared with them). */
  accessControlAttributes?: boolean;
  /**
   * Told after every AWS request (each attempt), with the calls still waiting to start, for a progress line;
   * never changes the read.
   */
  onCall?: (waiting: number) => void;
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
        onCall: options.onCall,
      }),
      options.maxPages ?? 1000,
      {
        groups: true,
        users: true,
        memberships: true,
        permissionSets: true,
        // The state's own vocabulary (snapshots keep it): every assignment, or the declared principals'.
        assignments: options.mode === 'drift' ? 'all' : 'principals',
      },
    );
    const config = clientConfig(options);
    this.ids = this.limiter.attach(new IdentitystoreClient(config));
    this.sso = this.limiter.attach(new SSOAdminClient(config));
    // Organizations has one endpoint (us-east-1); the SDK signs for it whatever the region.
    this.orgLimiter = new CallLimiter({
      requestsPerSecond: options.requestsPerSecond ?? 20,
      concurrency: 1,
      onCall: options.onCall,
    });
    this.org = this.orgLimiter.attach(new OrganizationsClient(config), 'organizations:');
    this.pageSize = options.pageSize ?? 100;
  }

  destroy(): void {
    this.ids.destroy();
    this.sso.destroy();
    this.org.destroy();
  }
}
