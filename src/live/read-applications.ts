/**
 * Identity Center applications and attributes for access control, read only when the declarations have them:
 * - ListApplications (every page: an application is declared by name, and names need not be unique), then for
 *   each declared application found its GetApplicationAssignmentConfiguration and ListApplicationAssignments;
 * - DescribeInstanceAccessControlAttributeConfiguration, once.
 * An assigned principal that the state's groups and users do not hold (check mode reads only the declared
 * ones) is described once, for its name, or to learn that it no longer exists.
 */
import { DescribeGroupCommand, DescribeUserCommand } from '@aws-sdk/client-identitystore';
import {
  DescribeInstanceAccessControlAttributeConfigurationCommand,
  GetApplicationAssignmentConfigurationCommand,
  paginateListApplicationAssignments,
  paginateListApplications,
} from '@aws-sdk/client-sso-admin';
import type { Reader, WantedApplications } from './read-context.js';
import { compare } from './shapes.js';
import type {
  LiveAccessControlAttributes,
  LiveApplication,
  LiveApplicationAssignment,
  LiveGroup,
  LiveUser,
} from './types.js';

/** Every application of the instance, with the assignments and configuration of the wanted ones. */
export async function readApplications(
  r: Reader,
  instanceArn: string,
  wanted: WantedApplications,
): Promise<LiveApplication[]> {
  r.complete.applications = true;
  const listed = await r.wholeListing(
    'ListApplications',
    'the applications',
    paginateListApplications({ client: r.sso, pageSize: r.pageSize }, { InstanceArn: instanceArn }),
    (page) => page.Applications,
    'applications',
  );
  if (!listed) return [];
  const names = new Set(wanted === 'all' ? [] : wanted.names);
  const arns = new Set(wanted === 'all' ? [] : wanted.arns);
  const applications: LiveApplication[] = listed.flatMap((a) =>
    a.ApplicationArn && a.Name !== undefined
      ? [
          {
            arn: a.ApplicationArn,
            name: a.Name,
            ...(a.ApplicationProviderArn ? { applicationProviderArn: a.ApplicationProviderArn } : {}),
            ...(a.Status ? { status: a.Status } : {}),
          },
        ]
      : [],
  );
  // A name that several applications share names none of them (IDC116 asks for the ARN): none is read.
  const named = new Map<string, number>();
  for (const a of applications) named.set(a.name, (named.get(a.name) ?? 0) + 1);
  await Promise.all(
    applications
      .filter((a) => wanted === 'all' || arns.has(a.arn) || (names.has(a.name) && named.get(a.name) === 1))
      .map(async (app) => {
        const [configuration, assignments] = await Promise.all([
          r.optional(
            'GetApplicationAssignmentConfiguration',
            `the assignment configuration of application ${app.name}`,
            () => r.sso.send(new GetApplicationAssignmentConfigurationCommand({ ApplicationArn: app.arn })),
            'applications',
          ),
          r.wholeListing(
            'ListApplicationAssignments',
            `the assignments of application ${app.name}`,
            paginateListApplicationAssignments(
              { client: r.sso, pageSize: r.pageSize },
              { ApplicationArn: app.arn },
            ),
            (page) => page.ApplicationAssignments,
            'applications',
          ),
        ]);
        if (configuration?.AssignmentRequired !== undefined)
          app.assignmentRequired = configuration.AssignmentRequired;
        if (assignments)
          app.assignments = assignments
            .flatMap((a): LiveApplicationAssignment[] =>
              a.PrincipalId && (a.PrincipalType === 'GROUP' || a.PrincipalType === 'USER')
                ? [{ principalType: a.PrincipalType, principalId: a.PrincipalId }]
                : [],
            )
            .sort(
              (x, y) => compare(x.principalType, y.principalType) || compare(x.principalId, y.principalId),
            );
      }),
  );
  return applications.sort((a, b) => compare(a.name, b.name) || compare(a.arn, b.arn));
}

/**
 * Names the assigned principals that `groups` and `users` do not hold, describing each once; one the identity
 * store does not have is `principalMissing`. With every group and user read (drift), nothing is described.
 */
export async function nameApplicationPrincipals(
  r: Reader,
  identityStoreId: string,
  applications: LiveApplication[],
  known: { groups: LiveGroup[]; users: LiveUser[]; everyone: boolean },
): Promise<void> {
  const groups = new Set(known.groups.map((g) => g.groupId));
  const users = new Set(known.users.map((u) => u.userId));
  const unknown = new Map<string, LiveApplicationAssignment[]>();
  for (const a of applications.flatMap((app) => app.assignments ?? [])) {
    if ((a.principalType === 'GROUP' ? groups : users).has(a.principalId)) continue;
    if (known.everyone) {
      a.principalMissing = true;
      continue;
    }
    const key = `${a.principalType} ${a.principalId}`;
    unknown.set(key, [...(unknown.get(key) ?? []), a]);
  }
  await Promise.all(
    [...unknown.values()].map(async (same) => {
      const { principalType, principalId } = same[0];
      const name = await describedName(r, identityStoreId, principalType, principalId);
      if (!r.complete.applications) return; // a failure, not an answer
      for (const a of same) {
        if (name === undefined) a.principalMissing = true;
        else a.principalName = name;
      }
    }),
  );
}

/** A principal's display name or userName; undefined when it does not exist, or could not be read. */
async function describedName(
  r: Reader,
  identityStoreId: string,
  type: 'GROUP' | 'USER',
  id: string,
): Promise<string | undefined> {
  const store = { IdentityStoreId: identityStoreId };
  const operation = type === 'GROUP' ? 'DescribeGroup' : 'DescribeUser';
  const described = await r.optional(
    operation,
    `${type.toLowerCase()} ${id}`,
    async () =>
      type === 'GROUP'
        ? (await r.ids.send(new DescribeGroupCommand({ ...store, GroupId: id }))).DisplayName
        : (await r.ids.send(new DescribeUserCommand({ ...store, UserId: id }))).UserName,
    'applications',
  );
  return described ?? undefined;
}

/** The instance's attributes for access control; `configured: false` when it has none. */
export async function readAccessControlAttributes(
  r: Reader,
  instanceArn: string,
): Promise<LiveAccessControlAttributes | undefined> {
  r.complete.accessControlAttributes = true;
  const described = await r.optional(
    'DescribeInstanceAccessControlAttributeConfiguration',
    'the attributes for access control',
    () =>
      r.sso.send(
        new DescribeInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: instanceArn }),
      ),
    'accessControlAttributes',
  );
  if (!r.complete.accessControlAttributes) return undefined;
  const attributes = (
    described?.InstanceAccessControlAttributeConfiguration?.AccessControlAttributes ?? []
  ).flatMap((a) => (a.Key ? [{ key: a.Key, source: a.Value?.Source?.[0] ?? '' }] : []));
  // The Terraform provider treats an empty list as "not configured" too (docs/research).
  return {
    configured: attributes.length > 0,
    ...(described?.Status ? { status: described.Status } : {}),
    ...(described?.StatusReason ? { statusReason: described.StatusReason } : {}),
    attributes,
  };
}
