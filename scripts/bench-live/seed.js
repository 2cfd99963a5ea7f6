// The live-read benchmark (scripts/bench-live.js): seeding the local Identity Center through the real SDK clients.
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
  CreatePermissionSetCommand,
  ListInstancesCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { REGION, SCIM_ISSUER, SEED_CONCURRENCY } from './constants.js';
import { sum } from './cost.js';
import { sortKeys } from './helpers.js';

/**
 * Lets CreateGroup/CreateUser send `ExternalIds` (not in the API model; only SCIM sets them), as
 * test/aws/seed.ts does: a build-step middleware adds `input.ExternalIds` to the serialised body.
 */
export function addExternalIds(client) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const externalIds = args.input.ExternalIds;
      if (externalIds && ['CreateGroupCommand', 'CreateUserCommand'].includes(context.commandName)) {
        const raw =
          typeof args.request.body === 'string'
            ? args.request.body
            : new TextDecoder().decode(args.request.body);
        args.request.body = JSON.stringify({ ...JSON.parse(raw), ExternalIds: externalIds });
        args.request.headers['content-length'] = String(Buffer.byteLength(args.request.body));
      }
      return next(args);
    },
    { step: 'build', name: 'addExternalIds' },
  );
}

export async function seedOrg(org, endpoint) {
  const config = {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 3,
  };
  // Not the SDK's warning about Node 20 in the bench's own output (the CLI's environment is left alone).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ids = new IdentitystoreClient(config);
  addExternalIds(ids);
  const sso = new SSOAdminClient(config);
  // Every attempt that failed (and was retried, or not), by operation and error: the server is moto's,
  // threaded, and the seeding sends 8 at once.
  const failedAttempts = {};
  for (const client of [ids, sso]) {
    client.middlewareStack.addRelativeTo(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          const key = `${context.commandName.replace(/Command$/, '')}: ${error.name} ${error.$metadata?.httpStatusCode ?? ''}`;
          failedAttempts[key.trim()] = (failedAttempts[key.trim()] ?? 0) + 1;
          throw error;
        }
      },
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'benchFailedAttempts' },
    );
  }
  try {
    const { Instances = [] } = await sso.send(new ListInstancesCommand({}));
    if (Instances.length !== 1)
      throw new Error(`expected one Identity Center instance, found ${Instances.length}`);
    const instance = { instanceArn: Instances[0].InstanceArn, identityStoreId: Instances[0].IdentityStoreId };
    const { instanceArn, identityStoreId: IdentityStoreId } = instance;
    const externalIds = (id) => [{ Issuer: SCIM_ISSUER, Id: id }];
    const userIds = new Map();
    const groupIds = new Map();
    const setArns = new Map();

    await forEach(org.users, async (u) => {
      const created = await ids.send(
        new CreateUserCommand({
          IdentityStoreId,
          UserName: u.userName,
          DisplayName: u.displayName,
          Name: { GivenName: u.givenName, FamilyName: u.familyName },
          Emails: [{ Value: u.userName, Type: 'work', Primary: true }],
          ExternalIds: externalIds(u.externalId),
        }),
      );
      userIds.set(u.userName, created.UserId);
    });
    await forEach(org.groups, async (g) => {
      const created = await ids.send(
        new CreateGroupCommand({
          IdentityStoreId,
          DisplayName: g.name,
          Description: g.description,
          ExternalIds: externalIds(g.externalId),
        }),
      );
      groupIds.set(g.name, created.GroupId);
    });
    const memberships = org.groups.flatMap((g) =>
      g.members.map((m) => [groupIds.get(g.name), userIds.get(m)]),
    );
    await forEach(memberships, ([GroupId, UserId]) =>
      ids.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })),
    );
    await forEach(org.permissionSets, async (ps) => {
      const tags = Object.entries(ps.tags).map(([Key, Value]) => ({ Key, Value }));
      const created = await sso.send(
        new CreatePermissionSetCommand({
          InstanceArn: instanceArn,
          Name: ps.name,
          Description: ps.description,
          SessionDuration: ps.sessionDuration,
          RelayState: ps.relayState,
          Tags: tags.length ? tags : undefined,
        }),
      );
      const target = { InstanceArn: instanceArn, PermissionSetArn: created.PermissionSet.PermissionSetArn };
      setArns.set(ps.name, target.PermissionSetArn);
      for (const ManagedPolicyArn of ps.managedPolicies)
        await sso.send(new AttachManagedPolicyToPermissionSetCommand({ ...target, ManagedPolicyArn }));
      for (const c of ps.customerManagedPolicies) {
        await sso.send(
          new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
            ...target,
            CustomerManagedPolicyReference: { Name: c.name, Path: c.path },
          }),
        );
      }
      if (ps.inlinePolicy) {
        await sso.send(
          new PutInlinePolicyToPermissionSetCommand({
            ...target,
            InlinePolicy: JSON.stringify(ps.inlinePolicy),
          }),
        );
      }
      const b = ps.permissionsBoundary;
      if (b) {
        const PermissionsBoundary = b.managedPolicyArn
          ? { ManagedPolicyArn: b.managedPolicyArn }
          : {
              CustomerManagedPolicyReference: {
                Name: b.customerManagedPolicyReference.name,
                Path: b.customerManagedPolicyReference.path,
              },
            };
        await sso.send(new PutPermissionsBoundaryToPermissionSetCommand({ ...target, PermissionsBoundary }));
      }
    });
    // Assignments last: each provisions its set to its account, after every edit of the set, so that no
    // account is left at LATEST_PERMISSION_SET_NOT_PROVISIONED.
    const tuples = org.entries.flatMap((e) => e.accounts.map((account) => [e, account]));
    await forEach(tuples, ([e, account]) =>
      sso.send(
        new CreateAccountAssignmentCommand({
          InstanceArn: instanceArn,
          TargetId: account,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: setArns.get(e.permissionSet),
          PrincipalType: 'GROUP',
          PrincipalId: groupIds.get(e.group),
        }),
      ),
    );
    return { instance, failedAttempts: sortKeys(failedAttempts) };
  } finally {
    ids.destroy();
    sso.destroy();
  }
}

/** The calls the seeding makes when none is retried. */
export function seedCalls(org) {
  const sets = sum(
    org.permissionSets.map(
      (p) =>
        1 +
        p.managedPolicies.length +
        p.customerManagedPolicies.length +
        (p.inlinePolicy ? 1 : 0) +
        (p.permissionsBoundary ? 1 : 0),
    ),
  );
  const memberships = sum(org.groups.map((g) => g.members.length));
  return 1 + org.users.length + org.groups.length + memberships + sets + org.tuples;
}

export async function forEach(items, task, limit = SEED_CONCURRENCY) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
