/**
 * Seeds an organisation into the local Identity Center server through the real SDK clients, the way an
 * administrator and a SCIM-provisioning IdP would.
 *
 * CreateGroup/CreateUser have no ExternalIds parameter (only SCIM sets them), so a build-step middleware
 * adds `input.ExternalIds` to the serialised body; test/aws/idc_server.py stores and returns them.
 */
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreateApplicationAssignmentCommand,
  CreateApplicationCommand,
  CreateInstanceAccessControlAttributeConfigurationCommand,
  CreatePermissionSetCommand,
  DescribePermissionSetCommand,
  ListInstancesCommand,
  PutApplicationAssignmentConfigurationCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import type { BuildMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';

export interface SeedExternalId {
  issuer: string;
  id: string;
}

/**
 * A user. The Identity Store requires a display name and a name: when absent they default to the userName,
 * its part before "@" and "User".
 */
export interface SeedUser {
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  /** Present: a SCIM-provisioned user. */
  externalIds?: SeedExternalId[];
}

/** ExternalIds as an IdP's SCIM push leaves them. */
export const scimIds = (id: string): SeedExternalId[] => [
  { issuer: 'https://scim.us-east-1.amazonaws.com/tenant/scim/v2', id },
];

/** `<name>@example.com`, SCIM-provisioned, with every attribute Identity Center requires. */
export function seedUser(name: string): SeedUser {
  return {
    userName: `${name}@example.com`,
    displayName: name,
    givenName: name,
    familyName: 'X',
    email: `${name}@example.com`,
    externalIds: scimIds(`u-${name}`),
  };
}

export interface SeedGroup {
  name: string;
  description?: string;
  /** Present and non-empty: a SCIM-provisioned group; absent: a group made by hand. */
  externalIds?: SeedExternalId[];
  /** userNames of members (users of the spec). */
  members?: string[];
}

export interface SeedPermissionSet {
  name: string;
  description?: string;
  /** ISO-8601; the server's default is PT1H. */
  sessionDuration?: string;
  relayState?: string;
  managedPolicies?: string[];
  customerManagedPolicies?: { name: string; path?: string }[];
  /** An object is sent as JSON. */
  inlinePolicy?: string | object;
  permissionsBoundary?:
    { managedPolicyArn: string } | { customerManagedPolicyReference: { name: string; path?: string } };
  tags?: Record<string, string>;
}

export interface SeedAssignment {
  group?: string;
  user?: string;
  permissionSet: string;
  accounts: string[];
}

export interface SeedSpec {
  users?: SeedUser[];
  groups?: SeedGroup[];
  permissionSets?: SeedPermissionSet[];
  /** Each account in `accounts` gets one assignment, which provisions the permission set there. */
  assignments?: SeedAssignment[];
  /**
   * Permission sets edited after their assignments and not provisioned again, so that their accounts are at
   * LATEST_PERMISSION_SET_NOT_PROVISIONED. The edit re-sends the set's own values (UpdatePermissionSet).
   */
  outdated?: string[];
}

export interface SeededOrganisation {
  instanceArn: string;
  identityStoreId: string;
  /** userName → UserId */
  users: Record<string, string>;
  /** group name → GroupId */
  groups: Record<string, string>;
  /** permission set name → ARN */
  permissionSets: Record<string, string>;
}

export interface SeedOptions {
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  region?: string;
}

/** SDK clients pointed at `endpoint` with test credentials; the Identity Store client can send ExternalIds. */
export function seedClients(endpoint: string, region = 'us-east-1') {
  const config = { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const identityStore = new IdentitystoreClient(config);
  addExternalIds(identityStore);
  const ssoAdmin = new SSOAdminClient(config);
  return { identityStore, ssoAdmin };
}

/** Lets CreateGroup/CreateUser send `ExternalIds` (not in the API model), as SCIM provisioning would. */
export function addExternalIds(client: IdentitystoreClient): void {
  const middleware: BuildMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const externalIds = (args.input as { ExternalIds?: unknown }).ExternalIds;
    if (externalIds && ['CreateGroupCommand', 'CreateUserCommand'].includes(context.commandName ?? '')) {
      const request = args.request as { body: unknown; headers: Record<string, string> };
      const raw =
        typeof request.body === 'string'
          ? request.body
          : new TextDecoder().decode(request.body as Uint8Array);
      request.body = JSON.stringify({ ...(JSON.parse(raw) as object), ExternalIds: externalIds });
      request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
    }
    return next(args);
  };
  (client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>).add(middleware, {
    step: 'build',
    name: 'addExternalIds',
  });
}

/** The instance after a reset (its ARN and identity store ID change with every reset). */
export async function currentInstance(
  ssoAdmin: SSOAdminClient,
): Promise<{ instanceArn: string; identityStoreId: string }> {
  const { Instances = [] } = await ssoAdmin.send(new ListInstancesCommand({}));
  const [instance] = Instances;
  if (Instances.length !== 1 || !instance?.InstanceArn || !instance.IdentityStoreId) {
    throw new Error(`expected one Identity Center instance, found ${Instances.length}`);
  }
  return { instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId };
}

export async function seedOrganisation(
  endpoint: string,
  spec: SeedSpec,
  options: SeedOptions = {},
): Promise<SeededOrganisation> {
  const { identityStore, ssoAdmin } = seedClients(endpoint, options.region);
  const limit = options.concurrency ?? 8;
  try {
    const { instanceArn, identityStoreId } = await currentInstance(ssoAdmin);
    const result: SeededOrganisation = {
      instanceArn,
      identityStoreId,
      users: {},
      groups: {},
      permissionSets: {},
    };

    await forEach(spec.users ?? [], limit, async (user) => {
      const emails = user.email ? [{ Value: user.email, Type: 'work', Primary: true }] : undefined;
      const created = await identityStore.send(
        new CreateUserCommand({
          IdentityStoreId: identityStoreId,
          UserName: user.userName,
          DisplayName: user.displayName ?? user.userName,
          Name: {
            GivenName: user.givenName ?? user.userName.split('@')[0],
            FamilyName: user.familyName ?? 'User',
          },
          Emails: emails,
          ...externalIdsInput(user.externalIds),
        }),
      );
      result.users[user.userName] = created.UserId!;
    });

    await forEach(spec.groups ?? [], limit, async (group) => {
      const created = await identityStore.send(
        new CreateGroupCommand({
          IdentityStoreId: identityStoreId,
          DisplayName: group.name,
          Description: group.description,
          ...externalIdsInput(group.externalIds),
        }),
      );
      result.groups[group.name] = created.GroupId!;
    });

    const memberships = (spec.groups ?? []).flatMap((g) =>
      (g.members ?? []).map((m) => ({ group: g.name, user: m })),
    );
    await forEach(memberships, limit, async ({ group, user }) => {
      await identityStore.send(
        new CreateGroupMembershipCommand({
          IdentityStoreId: identityStoreId,
          GroupId: result.groups[group],
          MemberId: { UserId: known(result.users, user, 'user') },
        }),
      );
    });

    await forEach(spec.permissionSets ?? [], limit, async (ps) => {
      const tags = Object.entries(ps.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
      const created = await ssoAdmin.send(
        new CreatePermissionSetCommand({
          InstanceArn: instanceArn,
          Name: ps.name,
          Description: ps.description,
          SessionDuration: ps.sessionDuration,
          RelayState: ps.relayState,
          Tags: tags.length ? tags : undefined,
        }),
      );
      const arn = created.PermissionSet!.PermissionSetArn!;
      result.permissionSets[ps.name] = arn;
      const target = { InstanceArn: instanceArn, PermissionSetArn: arn };
      for (const policy of ps.managedPolicies ?? []) {
        await ssoAdmin.send(
          new AttachManagedPolicyToPermissionSetCommand({ ...target, ManagedPolicyArn: policy }),
        );
      }
      for (const ref of ps.customerManagedPolicies ?? []) {
        await ssoAdmin.send(
          new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
            ...target,
            CustomerManagedPolicyReference: { Name: ref.name, Path: ref.path },
          }),
        );
      }
      if (ps.inlinePolicy !== undefined) {
        const document =
          typeof ps.inlinePolicy === 'string' ? ps.inlinePolicy : JSON.stringify(ps.inlinePolicy);
        await ssoAdmin.send(new PutInlinePolicyToPermissionSetCommand({ ...target, InlinePolicy: document }));
      }
      if (ps.permissionsBoundary) {
        const boundary =
          'managedPolicyArn' in ps.permissionsBoundary
            ? { ManagedPolicyArn: ps.permissionsBoundary.managedPolicyArn }
            : {
                CustomerManagedPolicyReference: {
                  Name: ps.permissionsBoundary.customerManagedPolicyReference.name,
                  Path: ps.permissionsBoundary.customerManagedPolicyReference.path,
                },
              };
        await ssoAdmin.send(
          new PutPermissionsBoundaryToPermissionSetCommand({ ...target, PermissionsBoundary: boundary }),
        );
      }
    });

    const assignments = (spec.assignments ?? []).flatMap((a) =>
      a.accounts.map((account) => ({ ...a, account })),
    );
    await forEach(assignments, limit, async (a) => {
      const principal = a.group
        ? { PrincipalType: 'GROUP' as const, PrincipalId: known(result.groups, a.group, 'group') }
        : { PrincipalType: 'USER' as const, PrincipalId: known(result.users, a.user ?? '', 'user') };
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand({
          InstanceArn: instanceArn,
          TargetId: a.account,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: known(result.permissionSets, a.permissionSet, 'permission set'),
          ...principal,
        }),
      );
    });

    await forEach(spec.outdated ?? [], limit, async (name) => {
      const arn = known(result.permissionSets, name, 'permission set');
      const { PermissionSet: current } = await ssoAdmin.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
      );
      // The server sets all three fields, so send the current values: an edit that changes nothing visible.
      await ssoAdmin.send(
        new UpdatePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arn,
          Description: current?.Description,
          SessionDuration: current?.SessionDuration,
          RelayState: current?.RelayState,
        }),
      );
    });

    return result;
  } finally {
    identityStore.destroy();
    ssoAdmin.destroy();
  }
}

/** The provider of OAuth 2.0 customer managed applications, the only kind CreateApplication makes in AWS. */
export const CUSTOM_APPLICATION_PROVIDER = 'arn:aws:sso::aws:applicationProvider/custom';

/** An application of an instance, with its assignment configuration and direct assignments. */
export interface SeedApplication {
  name: string;
  /** Default: {@link CUSTOM_APPLICATION_PROVIDER}. */
  providerArn?: string;
  description?: string;
  status?: 'ENABLED' | 'DISABLED';
  /** Absent: the default (true, only assigned principals have access). */
  assignmentRequired?: boolean;
  /** Principal IDs (e.g. from {@link seedOrganisation}'s result) assigned to the application. */
  users?: string[];
  groups?: string[];
}

/** Creates the application (test/aws/idc_server.py, "applications") and returns its ARN. */
export async function seedApplication(
  ssoAdmin: SSOAdminClient,
  instanceArn: string,
  app: SeedApplication,
): Promise<string> {
  const { ApplicationArn } = await ssoAdmin.send(
    new CreateApplicationCommand({
      InstanceArn: instanceArn,
      ApplicationProviderArn: app.providerArn ?? CUSTOM_APPLICATION_PROVIDER,
      Name: app.name,
      Description: app.description,
      Status: app.status,
    }),
  );
  const arn = ApplicationArn!;
  if (app.assignmentRequired !== undefined) {
    await ssoAdmin.send(
      new PutApplicationAssignmentConfigurationCommand({
        ApplicationArn: arn,
        AssignmentRequired: app.assignmentRequired,
      }),
    );
  }
  const principals = [
    ...(app.users ?? []).map((id) => ({ PrincipalType: 'USER' as const, PrincipalId: id })),
    ...(app.groups ?? []).map((id) => ({ PrincipalType: 'GROUP' as const, PrincipalId: id })),
  ];
  for (const principal of principals) {
    await ssoAdmin.send(new CreateApplicationAssignmentCommand({ ApplicationArn: arn, ...principal }));
  }
  return arn;
}

/**
 * Enables attribute-based access control on the instance with these attributes, key to source, e.g.
 * `{ CostCenter: '${path:enterprise.costCenter}' }`.
 */
export async function seedAccessControlAttributes(
  ssoAdmin: SSOAdminClient,
  instanceArn: string,
  attributes: Record<string, string>,
): Promise<void> {
  await ssoAdmin.send(
    new CreateInstanceAccessControlAttributeConfigurationCommand({
      InstanceArn: instanceArn,
      InstanceAccessControlAttributeConfiguration: {
        AccessControlAttributes: Object.entries(attributes).map(([Key, source]) => ({
          Key,
          Value: { Source: [source] },
        })),
      },
    }),
  );
}

function externalIdsInput(externalIds: SeedExternalId[] | undefined): object {
  return externalIds?.length ? { ExternalIds: externalIds.map((e) => ({ Issuer: e.issuer, Id: e.id })) } : {};
}

function known(map: Record<string, string>, key: string, what: string): string {
  const value = map[key];
  if (!value) throw new Error(`seed: unknown ${what} ${JSON.stringify(key)}`);
  return value;
}

async function forEach<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
