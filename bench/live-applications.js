// The applications and the attributes for access control of the live organisation (bench/live-org.js): what
// is generated and seeded, and which of them a repository declares.

/** Customer managed (SAML or OAuth) applications; beyond the list, the same in other environments. */
const APPLICATION_NAMES = [
  'Grafana',
  'Jira',
  'Confluence',
  'Salesforce',
  'Slack',
  'GitHub Enterprise',
  'PagerDuty',
  'Datadog',
  'Snowflake',
  'Tableau',
  'ServiceNow',
  'Zendesk',
  'Workday',
  'Databricks',
  'Miro',
  'Figma',
  'Zoom',
  'DocuSign',
  'Looker',
  'Sentry',
];
const APPLICATION_ENVIRONMENTS = ['', ' (staging)', ' (sandbox)'];

/**
 * An AWS managed application nobody declares (Amazon Q Developer, which AWS creates with its own assignments):
 * it is listed like every other, so the listing holds more than the declarations, but never read in full.
 */
export const MANAGED_APPLICATION = {
  name: 'Amazon Q Developer',
  providerArn: 'arn:aws:sso::aws:applicationProvider/codewhisperer',
};

/**
 * The attributes for access control the organisation may use, with the Entra mapping that supplies each
 * source (IDC018 asks for one): the identity store's own attributes are mapped already, the enterprise ones
 * are mapped for them.
 */
const ACCESS_CONTROL_ATTRIBUTES = [
  {
    key: 'CostCenter',
    source: '${path:enterprise.costCenter}',
    mapping: {
      target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter',
      source: 'employeeOrgData.costCenter',
    },
  },
  {
    key: 'Department',
    source: '${path:enterprise.department}',
    mapping: {
      target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      source: 'department',
    },
  },
  { key: 'Email', source: '${path:emails[primary eq true].value}' },
  { key: 'GivenName', source: '${path:name.givenName}' },
  { key: 'FamilyName', source: '${path:name.familyName}' },
  { key: 'UserName', source: '${path:userName}' },
];

/**
 * `spec.applications` applications, then the managed one, each assigned to 1-4 of the assigned groups and
 * sometimes to a user (a member of one of the groups it draws from); every third draws from the PR-check
 * repository's groups, so that repository declares some applications too. Three in four are declared by
 * name, one by ARN (known once seeded); some leave `assignmentRequired` to AWS's default (true), a few
 * turn it off. And `spec.accessControlAttributes` of the attributes above, in their order.
 */
export function generateApplications(draw, spec, { groups, assignedGroups, prGroups }) {
  const { between, chance, int, sample } = draw;
  const members = new Map(groups.map((g) => [g.name, g.members]));
  const names = APPLICATION_ENVIRONMENTS.flatMap((env) => APPLICATION_NAMES.map((name) => name + env));
  const count = spec.applications ?? 0;
  if (count > names.length) throw new Error(`at most ${names.length} generated applications, not ${count}`);
  const assign = (pool) => {
    const chosen = sample(pool.length, between(1, Math.min(4, pool.length))).map((k) => pool[k]);
    const fromGroup = members.get(pool[int(pool.length)]);
    const users = chance(0.4) ? [fromGroup[int(fromGroup.length)]] : [];
    return { groups: chosen.sort(), users };
  };
  const applications = [];
  for (let i = 0; i < count; i++) {
    const pool = i % 3 === 0 && prGroups.length ? prGroups : assignedGroups;
    const required = chance(0.15) ? false : chance(0.3) ? undefined : true;
    applications.push({
      name: names[i],
      declaredBy: i % 4 === 2 ? 'arn' : 'name',
      ...(required === undefined ? {} : { assignmentRequired: required }),
      ...assign(pool),
    });
  }
  if (count > 0)
    applications.push({ ...MANAGED_APPLICATION, declaredBy: undefined, ...assign(assignedGroups) });
  const abac = Math.min(spec.accessControlAttributes ?? 0, ACCESS_CONTROL_ATTRIBUTES.length);
  const accessControlAttributes = sample(ACCESS_CONTROL_ATTRIBUTES.length, abac)
    .sort((a, b) => a - b)
    .map((k) => ACCESS_CONTROL_ATTRIBUTES[k]);
  return { applications, accessControlAttributes };
}

/**
 * The applications a repository declares: every declared one (`groups` absent: the whole repository), or those
 * whose groups are all among `groups` and whose users are members of them (the PR-check repository declares
 * those groups and their members, and an application is declared with all its assignments or not at all).
 */
export function declaredApplications(org, groups) {
  const declared = org.applications.filter((a) => a.declaredBy);
  if (!groups) return declared;
  const users = new Set(org.groups.filter((g) => groups.has(g.name)).flatMap((g) => g.members));
  return declared.filter((a) => a.groups.every((g) => groups.has(g)) && a.users.every((u) => users.has(u)));
}
