// Seeding the live organisation (bench/live-org.js) into the local server with the tests' own seeding
// (test/aws/seed.ts): the organisation as its SeedSpec, its applications and attributes for access control,
// and the calls that seeding makes.
import { modelModules } from './model.js';
import { SCIM_ISSUER } from './vocabulary.js';

/** The organisation as test/aws/seed.ts's SeedSpec: every user and group SCIM-provisioned. */
export function seedSpec(org) {
  const externalIds = (id) => [{ issuer: SCIM_ISSUER, id }];
  return {
    users: org.users.map((u) => ({
      userName: u.userName,
      displayName: u.displayName,
      givenName: u.givenName,
      familyName: u.familyName,
      email: u.userName,
      externalIds: externalIds(u.externalId),
    })),
    groups: org.groups.map((g) => ({
      name: g.name,
      description: g.description,
      externalIds: externalIds(g.externalId),
      members: g.members,
    })),
    permissionSets: org.permissionSets.map((p) => ({
      name: p.name,
      description: p.description,
      sessionDuration: p.sessionDuration,
      relayState: p.relayState,
      managedPolicies: p.managedPolicies,
      customerManagedPolicies: p.customerManagedPolicies,
      inlinePolicy: p.inlinePolicy,
      permissionsBoundary: p.permissionsBoundary,
      tags: p.tags,
    })),
    // Assignments last (seed.ts's order): each provisions its set to its account after every edit of the
    // set, so that no account is left at LATEST_PERMISSION_SET_NOT_PROVISIONED.
    assignments: org.entries.map((e) => ({
      group: e.group,
      permissionSet: e.permissionSet,
      accounts: e.accounts,
    })),
  };
}

/** The calls seeding makes when none is retried, by operation (ListInstances finds the instance). */
export function seedCallsByOperation(org) {
  const sets = org.permissionSets;
  const count = (xs) => xs.reduce((a, b) => a + b, 0);
  const out = {
    ListInstances: 1,
    CreateUser: org.users.length,
    CreateGroup: org.groups.length,
    CreateGroupMembership: count(org.groups.map((g) => g.members.length)),
    CreatePermissionSet: sets.length,
    AttachManagedPolicyToPermissionSet: count(sets.map((p) => p.managedPolicies.length)),
    AttachCustomerManagedPolicyReferenceToPermissionSet: count(
      sets.map((p) => p.customerManagedPolicies.length),
    ),
    PutInlinePolicyToPermissionSet: sets.filter((p) => p.inlinePolicy).length,
    PutPermissionsBoundaryToPermissionSet: sets.filter((p) => p.permissionsBoundary).length,
    CreateAccountAssignment: org.tuples,
    CreateApplication: org.applications.length,
    PutApplicationAssignmentConfiguration: org.applications.filter((a) => a.assignmentRequired !== undefined)
      .length,
    CreateApplicationAssignment: count(org.applications.map((a) => a.groups.length + a.users.length)),
    CreateInstanceAccessControlAttributeConfiguration: org.accessControlAttributes.length ? 1 : 0,
  };
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n > 0));
}

export const seedCalls = (org) => Object.values(seedCallsByOperation(org)).reduce((a, b) => a + b, 0);

/**
 * Seeds the applications (the managed one with its own provider) and the attributes for access control of
 * `org`, once `seeded` (seedOrganisation's result) holds its groups and users; returns the applications'
 * ARNs by name. One call at a time: there are few, and the server lists applications in creation order.
 * `modules`: the seeding to use (a test passes its own, from the TypeScript sources); by default the compiled.
 */
export async function seedApplications(endpoint, org, seeded, modules) {
  const { seedClients, seedApplication, seedAccessControlAttributes } = modules ?? (await modelModules());
  const { identityStore, ssoAdmin } = seedClients(endpoint);
  try {
    const arns = {};
    for (const app of org.applications) {
      arns[app.name] = await seedApplication(ssoAdmin, seeded.instanceArn, {
        name: app.name,
        ...(app.providerArn ? { providerArn: app.providerArn } : {}),
        ...(app.assignmentRequired === undefined ? {} : { assignmentRequired: app.assignmentRequired }),
        groups: app.groups.map((g) => seeded.groups[g]),
        users: app.users.map((u) => seeded.users[u]),
      });
    }
    if (org.accessControlAttributes.length)
      await seedAccessControlAttributes(
        ssoAdmin,
        seeded.instanceArn,
        Object.fromEntries(org.accessControlAttributes.map((a) => [a.key, a.source])),
      );
    return arns;
  } finally {
    identityStore.destroy();
    ssoAdmin.destroy();
  }
}

/**
 * Seeds `org` into the server at `endpoint`. `received`: the server's count of what it received, by
 * operation, once seeding is done; attempts beyond the calls needed were retried (every attempt counts).
 */
export async function seedOrg(org, endpoint, received) {
  const { seedOrganisation } = await modelModules();
  // Not the SDK's warning about Node 20 in the bench's own output (the CLI's environment is left alone).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const seeded = await seedOrganisation(endpoint, seedSpec(org));
  const applicationArns = await seedApplications(endpoint, org, seeded);
  const needed = seedCallsByOperation(org);
  const byOperation = (await received()).byOperation;
  const failedAttempts = {};
  for (const op of Object.keys(byOperation).sort())
    if (byOperation[op] > (needed[op] ?? 0))
      failedAttempts[`${op}: retried`] = byOperation[op] - (needed[op] ?? 0);
  return {
    instance: { instanceArn: seeded.instanceArn, identityStoreId: seeded.identityStoreId },
    applicationArns,
    failedAttempts,
  };
}
