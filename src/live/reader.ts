/**
 * Reads the live Identity Center state through the Identity Store and SSO Admin APIs, read-only (List*,
 * Describe*, Get* only), within Identity Center's account-wide limit of about 20 requests a second.
 *
 * Two modes, as `--mode` names them:
 * - drift reads every group, user, membership, permission set and assignment. Assignments are
 *   listed only for the (account, permission set) pairs that are provisioned, not for every pair.
 * - check (and a PR check) reads only what the declarations concern, or a narrower `scope` (a PR check): the
 *   groups and users wanted (by name), the members of those groups, the permission sets wanted, and the
 *   wanted principals' assignments, by whichever route costs fewer calls (read-principals.ts).
 *
 * In both modes, applications and attributes for access control are read only when declared
 * (read-applications.ts), alongside the rest.
 *
 * Neither reads what no rule uses unless `fullDetail` asks (snapshot, init): the permission sets' tags, and
 * in check mode the accounts that have a permission set's latest version. `notRead` in the state says so.
 *
 * What cannot be read (AccessDenied, a 5xx that survives the retries, a page loop that does not end) is
 * recorded in `failures`, and the completeness flag it affects is false; everything else is still read.
 * Expired or invalid credentials stop the read with one clear Error.
 */
import { paginateListInstances } from '@aws-sdk/client-sso-admin';
import { CallFailed } from './calls.js';
import { Reader, type ReadLiveStateOptions } from './read-context.js';
import { readAll } from './read-all.js';
import {
  nameApplicationPrincipals,
  readAccessControlAttributes,
  readApplications,
} from './read-applications.js';
import { readOrganization } from './read-organization.js';
import { readPrincipals } from './read-principals.js';
import { compare, sortAssignments, sortByKey } from './shapes.js';
import type { LiveAssignment, LiveGroup, LivePermissionSet, LiveState, LiveUser } from './types.js';

export type { ReadLiveStateOptions } from './read-context.js';
export { AwsCredentialsError, DEPENDENT_ACTIONS, iamAction, READ_OPERATIONS } from './calls.js';

export async function readLiveState(options: ReadLiveStateOptions): Promise<LiveState> {
  const reader = new Reader(options);
  try {
    return await read(reader);
  } finally {
    reader.destroy();
  }
}

async function read(reader: Reader): Promise<LiveState> {
  const readAt = new Date().toISOString();
  let region: string;
  try {
    region = await reader.sso.config.region();
  } catch (error) {
    throw new Error(
      `AWS region is not set (${(error as Error).message}): set AWS_REGION or the region of the IdentityCenter declaration`,
      { cause: error },
    );
  }
  const instance = await instanceOf(reader, region);
  const { applications: wantedApplications, accessControlAttributes: wantAbac } = reader.options;
  const [content, organization, applications, accessControlAttributes] = await Promise.all([
    (reader.options.mode === 'drift'
      ? readAll(reader, instance)
      : readPrincipals(reader, instance)) as Promise<{
      groups: LiveGroup[];
      users: LiveUser[];
      permissionSets: LivePermissionSet[];
      assignments: LiveAssignment[];
      permissionSetNames?: Record<string, string>;
    }>,
    // At the same time: Organizations is another service, with its own quota.
    reader.options.organization ? readOrganization(reader, reader.options.organization) : undefined,
    wantedApplications ? readApplications(reader, instance.instanceArn, wantedApplications) : undefined,
    wantAbac ? readAccessControlAttributes(reader, instance.instanceArn) : undefined,
  ]);
  if (applications) {
    const everyone = reader.options.mode === 'drift' && reader.complete.groups && reader.complete.users;
    await nameApplicationPrincipals(reader, instance.identityStoreId, applications, {
      groups: content.groups,
      users: content.users,
      everyone,
    });
  }
  if (reader.fatal) throw reader.fatal;
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
    ...(applications ? { applications } : {}),
    ...(accessControlAttributes ? { accessControlAttributes } : {}),
    ...(reader.scope ? { scope: reader.scope } : {}),
    ...(reader.notRead.size > 0 ? { notRead: [...reader.notRead].sort(compare) } : {}),
    complete: reader.complete,
    failures: [...reader.failures.entries()].map(([key, f]) => ({
      operation: key.split(' ')[0],
      message: f.count > 1 ? `${f.message} (and ${f.count - 1} more like it)` : f.message,
    })),
    apiCalls: sortByKey({ ...reader.limiter.calls(), ...reader.orgLimiter.calls() }),
  };
}

async function instanceOf(reader: Reader, region: string): Promise<LiveState['instance']> {
  const { instanceArn, identityStoreId } = reader.options;
  if (instanceArn && identityStoreId) return { instanceArn, identityStoreId, region };
  let instances;
  try {
    instances = await reader.pages(
      'ListInstances',
      'the Identity Center instances',
      paginateListInstances({ client: reader.sso, pageSize: reader.pageSize }, {}),
      (page) => page.Instances,
    );
  } catch (error) {
    if (error instanceof CallFailed) {
      const failure = [...reader.failures.values()][0];
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
