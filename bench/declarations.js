// The declarations of the live organisation (bench/live-org.js), as the live stage writes them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TOKEN_CREATED } from './generate.js';
import { declaredApplications } from './live-applications.js';
import { writeFiles } from './organisation.js';
import { chunks, LIVE_REGION as REGION, pad, q } from './vocabulary.js';

/**
 * Writes declarations matching the seeded state into `dir/identity/`, so that the check finds no drift.
 * `only`: the group names to declare (the PR-check repository); their members are the declared users and
 * their assignments the declared ones, and the applications assigned to them alone (declaredApplications);
 * every permission set and account, and the attributes for access control, are declared either way.
 * `instance.applicationArns`: the seeded applications' ARNs by name, for those declared by ARN.
 */
export function writeDeclarations(org, dir, instance, only) {
  rmSync(dir, { recursive: true, force: true });
  const files = new Map();
  const groups = only ? org.groups.filter((g) => only.has(g.name)) : org.groups;
  const userNames = only ? new Set(groups.flatMap((g) => g.members)) : undefined;
  const users = userNames ? org.users.filter((u) => userNames.has(u.userName)) : org.users;
  const entries = only ? org.entries.filter((e) => only.has(e.group)) : org.entries;
  const applications = declaredApplications(org, only);

  files.set('instance.yaml', [
    `# The Identity Center instance of the live benchmark (${org.size}, seed ${org.seed}), as seeded into the local server.`,
    'kind: IdentityCenter',
    `instanceArn: ${instance.instanceArn}`,
    `identityStoreId: ${instance.identityStoreId}`,
    `region: ${REGION}`,
    'scim:',
    '  idp: entra',
    `  endpoint: https://scim.${REGION}.amazonaws.com/Xy7Qp2Lm-4k9d-41aa-8c3e-5b0f6d2e9a17/scim/v2`,
    `  tokenCreated: "${TOKEN_CREATED}"`,
    'accounts:',
    ...org.accounts.map((a) => `  ${a.alias}: "${a.id}"`),
  ]);
  for (const ps of org.permissionSets) {
    const lines = ['kind: PermissionSet', `name: ${ps.name}`, `description: ${q(ps.description)}`];
    lines.push(`sessionDuration: ${ps.sessionDuration}`);
    if (ps.relayState) lines.push(`relayState: ${ps.relayState}`);
    if (ps.managedPolicies.length)
      lines.push('managedPolicies:', ...ps.managedPolicies.map((m) => `  - ${m}`));
    if (ps.customerManagedPolicies.length) {
      lines.push('customerManagedPolicies:');
      for (const c of ps.customerManagedPolicies) lines.push(`  - { name: ${c.name}, path: ${c.path} }`);
    }
    if (ps.inlinePolicy) {
      if (ps.name.length % 2) {
        files.set(`permission-sets/${ps.name}.inline.json`, [JSON.stringify(ps.inlinePolicy, null, 2)]);
        lines.push(`inlinePolicy: ./${ps.name}.inline.json`);
      } else {
        lines.push(`inlinePolicy: ${JSON.stringify(ps.inlinePolicy)}`); // JSON is YAML
      }
    }
    const b = ps.permissionsBoundary;
    if (b?.managedPolicyArn)
      lines.push(`permissionsBoundary: { managedPolicyArn: ${q(b.managedPolicyArn)} }`);
    if (b?.customerManagedPolicyReference) {
      const r = b.customerManagedPolicyReference;
      lines.push(
        `permissionsBoundary:\n  customerManagedPolicyReference: { name: ${r.name}, path: ${r.path} }`,
      );
    }
    const tags = Object.entries(ps.tags);
    if (tags.length) lines.push('tags:', ...tags.map(([k, v]) => `  ${k}: ${q(v)}`));
    files.set(`permission-sets/${ps.name}.yaml`, lines);
  }
  chunks(users, 200).forEach((batch, f) =>
    files.set(`users/users-${pad(f + 1, 3)}.yaml`, [
      'kind: Users',
      'users:',
      ...batch.flatMap((u) => [
        `  - userName: ${u.userName}`,
        `    displayName: ${q(u.displayName)}`,
        `    givenName: ${q(u.givenName)}`,
        `    familyName: ${q(u.familyName)}`,
        `    email: ${u.userName}`,
      ]),
    ]),
  );
  chunks(groups, 100).forEach((batch, f) =>
    files.set(`groups/groups-${pad(f + 1, 3)}.yaml`, [
      'kind: Groups',
      'groups:',
      ...batch.flatMap((g) => [
        `  - name: ${g.name}`,
        `    description: ${q(g.description)}`,
        '    members:',
        `      users: [${g.members.join(', ')}]`,
      ]),
    ]),
  );
  chunks(entries, 250).forEach((batch, f) =>
    files.set(`assignments/assignments-${pad(f + 1, 3)}.yaml`, [
      'kind: Assignments',
      'assignments:',
      ...batch.flatMap((e) => [
        `  - group: ${e.group}`,
        `    permissionSet: ${e.permissionSet}`,
        `    accounts: [${e.refs.join(', ')}]`,
      ]),
    ]),
  );
  if (applications.length)
    files.set(
      'applications.yaml',
      applications.flatMap((app, i) => [...(i ? ['---'] : []), ...applicationLines(app, instance)]),
    );
  if (org.accessControlAttributes.length)
    files.set('access-control-attributes.yaml', [
      'kind: AccessControlAttributes',
      'attributes:',
      ...org.accessControlAttributes.map((a) => `  - { key: ${a.key}, source: ${q(a.source)} }`),
    ]);
  const appGroups = [...new Set(entries.map((e) => e.group))].sort();
  files.set('entra-mapping.yaml', [
    'kind: AttributeMapping',
    'idp: entra',
    'mappings:',
    '  - { target: userName, source: userPrincipalName }',
    '  - { target: active, expression: \'Switch([IsSoftDeleted], , "False", "True", "True", "False")\' }',
    '  - { target: displayName, source: displayName }',
    '  - { target: \'emails[type eq "work"].value\', expression: "Coalesce([mail], [userPrincipalName])" }',
    '  - { target: name.givenName, expression: "Coalesce([givenName], [displayName])" }',
    '  - { target: name.familyName, expression: "Coalesce([surname], [displayName])" }',
    '  - { target: externalId, source: objectId }',
    // The enterprise attributes the attributes for access control read (IDC018 asks that a mapping supply them).
    ...org.accessControlAttributes.flatMap((a) =>
      a.mapping ? [`  - { target: ${q(a.mapping.target)}, source: ${a.mapping.source} }`] : [],
    ),
    'appAssignments:',
    '  groups:',
    ...appGroups.map((n) => `    - ${n}`),
  ]);
  writeFiles(join(dir, 'identity'), files);
  return {
    files: files.size,
    groups: groups.length,
    users: users.length,
    assignmentEntries: entries.length,
    applications: applications.length,
  };
}

/** One Application document: by name, or by the ARN seeding gave it (its name then a comment). */
function applicationLines(app, instance) {
  const arn = instance.applicationArns?.[app.name];
  if (app.declaredBy === 'arn' && !arn) throw new Error(`no seeded ARN for application ${app.name}`);
  return [
    'kind: Application',
    ...(app.declaredBy === 'arn' ? [`arn: ${arn} # ${app.name}`] : [`name: ${q(app.name)}`]),
    ...(app.assignmentRequired === undefined ? [] : [`assignmentRequired: ${app.assignmentRequired}`]),
    'assignments:',
    `  groups: [${app.groups.join(', ')}]`,
    ...(app.users.length ? [`  users: [${app.users.join(', ')}]`] : []),
  ];
}
