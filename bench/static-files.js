// The static organisation's longer texts: its permission sets (with their inline policy files) and the
// Entra ID attribute mapping. bench/generate.js writes the rest.
import { ACTIONS, DENY_ACTIONS, MANAGED_POLICIES, pad, q, REGIONS } from './vocabulary.js';

/** Adds a file for each named permission set (and its inline policy file, if any) to `files`. */
export function addPermissionSets(draw, psNames, region, files) {
  const { rand, between, pick, chance, sample } = draw;
  const identity = (p) => `identity/${p}`;
  psNames.forEach((name, i) => {
    const path = `permission-sets/${name}.yaml`;
    const lines = [];
    if (i % 3 === 0)
      lines.push(`# Owned by the ${name.split('-')[1] ?? 'platform'} team; changes need a review.`);
    lines.push('kind: PermissionSet', `name: ${name}`);
    const [role, domain] = name.split('-');
    const what = domain ? `${role} access for the ${domain} team` : `${role} for the whole organisation`;
    if (chance(0.3)) {
      lines.push(
        'description: >-',
        `  ${what}. Reviewed quarterly by the platform team;`,
        '  owners in CODEOWNERS.',
      );
    } else {
      lines.push(`description: ${what}`);
    }
    lines.push(`sessionDuration: ${pick(['PT1H', 'PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT12H', 'PT1H30M'])}`);
    if (chance(0.4)) lines.push(`relayState: https://${region}.console.aws.amazon.com/console/home`);
    const managed = sample(MANAGED_POLICIES.length, between(0, 4)).map((k) => MANAGED_POLICIES[k]);
    if (managed.length > 0 && chance(0.5)) lines.push(`managedPolicies: [${managed.join(', ')}]`);
    else if (managed.length > 0) lines.push('managedPolicies:', ...managed.map((m) => `  - ${m}`));
    if (chance(0.4)) {
      lines.push('customerManagedPolicies:');
      for (let k = 0; k < between(1, 3); k++) {
        const policyPath = chance(0.5) ? '/' : `/${domain ?? 'org'}/`;
        const policyName = `${domain ?? 'org'}-${pick(['deny-regions', 'kms-use', 'tagging', 'boundary'])}-${k}`;
        lines.push(`  - { name: ${policyName}, path: ${policyPath} }`);
      }
    }
    const inline = rand();
    if (inline < 0.2) {
      const policyFile = `${name}.inline.json`;
      lines.push(`inlinePolicy: ./${policyFile}`);
      files.set(identity(`permission-sets/${policyFile}`), [JSON.stringify(policyDocument(), null, 2)]);
    } else if (inline < 0.35) {
      const doc = policyDocument();
      lines.push('inlinePolicy:', '  Version: "2012-10-17"', '  Statement:');
      for (const s of doc.Statement) {
        lines.push(
          `    - Sid: ${s.Sid}`,
          `      Effect: ${s.Effect}`,
          `      Action: [${s.Action.join(', ')}]`,
        );
        lines.push(`      Resource: ${q(s.Resource)}`);
        if (s.Condition) {
          lines.push('      Condition:', '        StringNotEquals:');
          lines.push(
            `          ${q('aws:RequestedRegion')}: [${s.Condition.StringNotEquals['aws:RequestedRegion'].join(', ')}]`,
          );
        }
      }
    }
    if (chance(0.2)) {
      lines.push(
        chance(0.5)
          ? 'permissionsBoundary: { managedPolicyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }'
          : `permissionsBoundary:\n  customerManagedPolicyReference: { name: ${domain ?? 'org'}-boundary, path: / }`,
      );
    }
    if (chance(0.8)) {
      lines.push(
        'tags:',
        `  team: ${domain ?? 'platform'}`,
        `  cost-center: "${pad(between(1000, 9999), 4)}"`,
      );
      if (chance(0.5)) lines.push(`  data-classification: ${pick(['public', 'internal', 'confidential'])}`);
    }
    files.set(identity(path), lines);
  });

  function policyDocument() {
    const statements = [];
    const n = between(2, 8);
    for (let k = 0; k < n; k++) {
      const deny = k === 0 || chance(0.2);
      const statement = {
        Sid: `${deny ? 'Deny' : 'Allow'}${k}`,
        Effect: deny ? 'Deny' : 'Allow',
        Action: sample(deny ? DENY_ACTIONS.length : ACTIONS.length, between(1, 5)).map((j) =>
          deny ? DENY_ACTIONS[j] : ACTIONS[j],
        ),
        Resource: '*',
      };
      if (deny && chance(0.4)) {
        statement.Condition = { StringNotEquals: { 'aws:RequestedRegion': REGIONS.slice(0, between(1, 3)) } };
      }
      statements.push(statement);
    }
    return { Version: '2012-10-17', Statement: statements };
  }
}

/** The Entra ID enterprise app: its attribute mappings and the groups assigned to it. */
export function attributeMappingLines(appGroups) {
  return [
    '# The Entra ID enterprise app: attribute mappings and the groups assigned to the app.',
    'kind: AttributeMapping',
    'idp: entra',
    'mappings:',
    '  - { target: userName, source: userPrincipalName }',
    '  - { target: active, expression: \'Switch([IsSoftDeleted], , "False", "True", "True", "False")\' }',
    '  - { target: displayName, source: displayName }',
    '  - { target: title, source: jobTitle }',
    '  - { target: \'emails[type eq "work"].value\', expression: "Coalesce([mail], [userPrincipalName])" }',
    '  - { target: preferredLanguage, source: preferredLanguage }',
    '  - { target: name.givenName, expression: "Coalesce([givenName], [displayName])" }',
    '  - { target: name.familyName, expression: "Coalesce([surname], [displayName])" }',
    '  - { target: name.formatted, expression: \'Join(" ", [givenName], [surname])\' }',
    '  - { target: \'addresses[type eq "work"].streetAddress\', source: streetAddress }',
    '  - { target: \'addresses[type eq "work"].locality\', source: city }',
    '  - { target: \'addresses[type eq "work"].country\', source: country }',
    '  - { target: \'phoneNumbers[type eq "work"].value\', source: telephoneNumber }',
    '  - { target: externalId, source: objectId }',
    '  - { target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", source: department }',
    'appAssignments:',
    '  groups:',
    ...appGroups.map((n) => `    - ${n}`),
  ];
}
