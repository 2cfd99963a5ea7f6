import type { CallLimiter } from './rate-limit.js';
import type { LiveState } from './types.js';

/** Marks a call that failed and was recorded; whoever catches it marks the part concerned as lost. */
export class CallFailed extends Error {}

/** A part of the live state whose completeness a failure can cost (LiveState.complete). */
export type Part = keyof LiveState['complete'];

/** A page of an SDK paginator: the SDK asks for the next page while NextToken is set. */
type Page = { NextToken?: string };

/** Thrown when the credentials are expired or invalid: the read stops. */
export class AwsCredentialsError extends Error {
  override name = 'AwsCredentialsError';
}

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

/** Whether an SDK error means the caller's IAM policy does not allow the operation (by the error's name). */
export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED.has((error as ErrorLike | undefined)?.name ?? '');
}

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
  'DescribeInstanceAccessControlAttributeConfiguration',
  'DescribePermissionSet',
  'DescribeUser',
  'GetApplicationAssignmentConfiguration',
  'GetGroupId',
  'GetInlinePolicyForPermissionSet',
  'GetPermissionsBoundaryForPermissionSet',
  'GetUserId',
  'ListAccountAssignments',
  'ListAccountAssignmentsForPrincipal',
  'ListAccountsForProvisionedPermissionSet',
  'ListApplicationAssignments',
  'ListApplications',
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

/**
 * IAM actions that AWS's Service Authorization Reference lists as also needed by an operation the reader calls:
 * ListApplications needs these three, ListApplicationAssignments sso:ListProfileAssociations.
 */
export const DEPENDENT_ACTIONS = [
  'sso:GetApplicationInstance',
  'sso:ListApplicationInstances',
  'sso:ListApplicationProviders',
  'sso:ListProfileAssociations',
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

/**
 * Calls to AWS for one read: each within the rate limit and concurrency bound, classified once it fails
 * (credentials, access denied, not found, a fault that survived the retries) and recorded, one entry per
 * operation and kind of failure, with the part of the state it leaves incomplete (`lose`). The reader
 * (reader.ts) and its per-service reads call AWS through these only.
 */
export class AwsCalls {
  readonly failures = new Map<string, { message: string; count: number }>();
  /** Operations denied once: their answer is known, so they are not called again. */
  readonly denied = new Set<string>();
  /** Set when the credentials are bad: every call after it stops at once. */
  fatal: Error | undefined;

  constructor(
    readonly limiter: CallLimiter,
    readonly maxPages: number,
    readonly complete: LiveState['complete'],
  ) {}

  /** These parts of the state were not read in full. */
  lose(...parts: Part[]): void {
    for (const part of parts) this.complete[part] = false;
  }

  /**
   * Reads every page of an SDK paginator; on failure (recorded) loses `parts` and returns what was read, not
   * `whole`. A listing that reaches maxPages is a failure too: a listing that does not end is not complete.
   */
  async readListing<P extends Page, T>(
    operation: string,
    what: string,
    paginator: AsyncGenerator<P>,
    items: (page: P) => T[] | undefined,
    ...parts: Part[]
  ): Promise<{ items: T[]; whole: boolean }> {
    try {
      return { items: await this.pages(operation, what, paginator, items), whole: true };
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error;
      this.lose(...parts);
      return { items: (error as CallFailed & { partial?: T[] }).partial ?? [], whole: false };
    }
  }

  /** What {@link readListing} read, whole or not. */
  async listing<P extends Page, T>(
    operation: string,
    what: string,
    paginator: AsyncGenerator<P>,
    items: (page: P) => T[] | undefined,
    ...parts: Part[]
  ): Promise<T[]> {
    return (await this.readListing(operation, what, paginator, items, ...parts)).items;
  }

  /** What {@link readListing} read, or undefined unless every page was read: never a partial list. */
  async wholeListing<P extends Page, T>(
    operation: string,
    what: string,
    paginator: AsyncGenerator<P>,
    items: (page: P) => T[] | undefined,
    ...parts: Part[]
  ): Promise<T[] | undefined> {
    const read = await this.readListing(operation, what, paginator, items, ...parts);
    return read.whole ? read.items : undefined;
  }

  /** Every page's items, at most maxPages pages; throws CallFailed (with `partial`) once recorded. */
  async pages<P extends Page, T>(
    operation: string,
    what: string,
    paginator: AsyncGenerator<P>,
    items: (page: P) => T[] | undefined,
  ): Promise<T[]> {
    const read: T[] = [];
    let pages = 0;
    try {
      for await (const page of this.eachPage(operation, what, paginator)) {
        read.push(...(items(page) ?? []));
        if (!page.NextToken) return read;
        if (++pages >= this.maxPages) break;
      }
    } catch (error) {
      if (error instanceof CallFailed) Object.assign(error, { partial: read });
      throw error;
    }
    this.record(
      operation,
      'maxPages',
      `could not read ${what}: the listing stopped after ${this.maxPages} pages without reaching the end, ` +
        'so what was read is incomplete',
    );
    throw Object.assign(new CallFailed(operation), { partial: read });
  }

  /**
   * The pages of an SDK paginator, each fetched as one {@link call} (so within the limits, and classified);
   * it ends after the page without a NextToken, without asking the paginator again.
   */
  async *eachPage<P extends Page>(operation: string, what: string, paginator: AsyncGenerator<P>) {
    try {
      for (;;) {
        const step = await this.call(operation, what, () => paginator.next());
        if (step.done) return;
        yield step.value;
        if (!step.value.NextToken) return;
      }
    } finally {
      await paginator.return(undefined);
    }
  }

  /** A call whose ResourceNotFoundException means "absent" (undefined); other failures lose `parts`. */
  async optional<T>(operation: string, what: string, send: () => Promise<T>, ...parts: Part[]) {
    try {
      return await this.call<T | undefined>(operation, what, send, { notFound: true });
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error;
      this.lose(...parts);
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
          } else if (isAccessDenied(error)) this.denied.add(operation);
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
      if (failure && isAccessDenied(error)) {
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
