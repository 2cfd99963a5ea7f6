import { CallFailed } from './shapes.js';
import type { CallLimiter } from './rate-limit.js';

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

/**
 * Calls to AWS for one read: each within the rate limit and concurrency bound, classified once it fails
 * (credentials, access denied, not found, a fault that survived the retries) and recorded, one entry per
 * operation and kind of failure. The reader (reader.ts) and its parts read through these.
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
  ) {}

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
