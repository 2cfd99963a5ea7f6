// Generates a synthetic, deterministic organisation of idc-guard declarations for the benchmark.
//
// The organisation is clean (no findings) except for a few findings seeded on purpose, whose rule, file and
// line are returned so that the benchmark can check that the engine finds exactly those and nothing else.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bump when the output changes, so that `scripts/bench.js` regenerates organisations left from before. */
export const GENERATOR_VERSION = 2;

/** The day the SCIM token was created; run the check with IDC_GUARD_NOW = CHECK_DATE so IDC009 stays quiet. */
export const TOKEN_CREATED = '2026-01-15';
export const CHECK_DATE = '2026-03-16';

/**
 * The three sizes. `tuples` counts principal × permission set × account after expanding `accounts:` lists;
 * it grows with the organisation, about 5 per group at M and L (S has few groups, so more per group).
 * `seeds` is how many findings of each rule are planted.
 */
export const SIZES = {
  S: {
    accounts: 20,
    permissionSets: 10,
    groups: 50,
    users: 500,
    tuples: 2_000,
    seeds: { IDC002: 1, IDC003: 1, IDC005: 1, IDC011: 1 },
  },
  M: {
    accounts: 100,
    permissionSets: 40,
    groups: 500,
    users: 5_000,
    tuples: 10_000,
    seeds: { IDC002: 2, IDC003: 1, IDC005: 2, IDC011: 1 },
  },
  L: {
    accounts: 1_000,
    permissionSets: 300,
    groups: 20_000,
    users: 50_000,
    tuples: 100_000,
    seeds: { IDC002: 3, IDC003: 2, IDC005: 3, IDC011: 2 },
  },
};

// File layout: at L this gives 250 user files, 200 group files, 300 permission set files (+ 60 inline
// policy JSON files), about 90 assignment files and 2 more: about 900 files, as in DESIGN.md.
const USERS_PER_FILE = 200;
const GROUPS_PER_FILE = 100;
const ASSIGNMENTS_PER_FILE = 220;

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Names as written; userNames use their ASCII form. Some carry accents, as real directories do.
export const GIVEN = list(`
  Ada, Alan, Alice, Amara, Ana, Anders, Aoife, Arjun, Beatriz, Ben, Björn, Camille, Carlos, Chen,
  Chloé, Daniel, Dmitri, Elena, Emma, Fatima, Felix, Grace, Hana, Hugo, Ines, Ivan, Jamal, Jana,
  João, Julia, Kai, Kenji, Lars, Laura, Leila, Liam, Lucía, Maja, Marco, María, Mei, Mohamed, Nadia,
  Noah, Nora, Olga, Omar, Pablo, Priya, Rafael, Ravi, Rosa, Sakura, Sam, Sara, Sofia, Søren, Tariq,
  Theo, Uma, Victor, Wei, Yara, Zoë
`);
export const FAMILY = list(`
  Adeyemi, Andersen, Bauer, Becker, Brown, Castillo, Chen, Costa, Dubois, Dvořák, Eriksson,
  Fernández, Fischer, García, Gonzalez, Haddad, Hansen, Hoffmann, Ivanova, Jansen, Johnson, Kaur,
  Kim, Kowalski, Kumar, Larsen, Lee, Lopez, Martin, Meyer, Müller, Nakamura, Nguyen, O'Brien, Okafor,
  Olsen, Patel, Pereira, Petrov, Quinn, Rossi, Santos, Schmidt, Schneider, Silva, Singh, Smith,
  Sørensen, Suzuki, Tanaka, Taylor, Thomas, Van der Berg, Virtanen, Wagner, Walsh, Wang, Weber,
  Williams, Wilson, Wójcik, Yamamoto, Young, Zhang, Ziegler
`);
export const DOMAINS = list(`
  payments, ledger, checkout, catalog, search, identity, platform, network, security, data,
  analytics, ml, mobile, web, billing, support, logistics, inventory, pricing, marketing, crm, hr,
  finance, legal, audit, observability, devtools, storage, edge, messaging, notify, risk, fraud, kyc,
  partners, content, media, iot, gaming, research
`);
export const ENVS = ['prod', 'staging', 'dev', 'sandbox', 'shared', 'test', 'dr'];
export const GROUP_ROLES = list(`
  admins, developers, operators, readers, oncall, auditors, analysts, support, release, dba, secops,
  finops, contractors, leads, architects
`);
export const PS_ROLES = list(`
  ReadOnly, Developer, Admin, PowerUser, Billing, SecurityAudit, DataScientist, NetworkAdmin,
  Support, Operator, DatabaseAdmin, ViewOnly, Deployer, IncidentResponder, CostAnalyst
`);
export const MANAGED_POLICIES = [
  'arn:aws:iam::aws:policy/ReadOnlyAccess',
  'arn:aws:iam::aws:policy/PowerUserAccess',
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/SecurityAudit',
  'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
  'arn:aws:iam::aws:policy/job-function/Billing',
  'arn:aws:iam::aws:policy/job-function/DatabaseAdministrator',
  'arn:aws:iam::aws:policy/job-function/DataScientist',
  'arn:aws:iam::aws:policy/job-function/NetworkAdministrator',
  'arn:aws:iam::aws:policy/job-function/SupportUser',
  'arn:aws:iam::aws:policy/AWSSupportAccess',
  'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
  'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  'arn:aws:iam::aws:policy/AWSCloudFormationReadOnlyAccess',
];
const ACTIONS = list(`
  s3:GetObject, s3:ListBucket, s3:PutObject, ec2:Describe*, ec2:StartInstances, ec2:StopInstances,
  logs:GetLogEvents, logs:FilterLogEvents, cloudwatch:GetMetricData, dynamodb:Query,
  dynamodb:GetItem, lambda:InvokeFunction, lambda:GetFunction, kms:Decrypt, sqs:SendMessage,
  sns:Publish, ssm:GetParameter, ssm:StartSession, rds:DescribeDBInstances, ecs:UpdateService,
  ecr:BatchGetImage
`);
const DENY_ACTIONS = list(`
  organizations:LeaveOrganization, iam:CreateUser, iam:CreateAccessKey, cloudtrail:StopLogging,
  cloudtrail:DeleteTrail, guardduty:DeleteDetector, config:DeleteConfigurationRecorder
`);
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];

/** A comma-separated list written over several lines. */
export function list(text) {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A double-quoted YAML scalar (JSON's escaping is valid YAML). */
const q = (s) => JSON.stringify(s);
const pad = (n, width) => String(n).padStart(width, '0');
const ascii = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/**
 * A user's unique userName, `given.family[n]@corp.example.com`, counting the names already used in `used`:
 * the static and the live organisations name their users alike.
 */
export function userNameFor(used, given, family) {
  const base = `${ascii(given)}.${ascii(family)}`;
  const n = (used.get(base) ?? 0) + 1;
  used.set(base, n);
  return `${base}${n === 1 ? '' : n}@corp.example.com`;
}

/**
 * Writes the organisation of the given size under `dir/identity/` (replacing what was there) and returns its
 * counts and the findings seeded into it.
 * @param {'S'|'M'|'L'} size
 * @param {string} dir
 * @param {number} [seed]
 */
export function generateOrg(size, dir, seed = 42) {
  const spec = SIZES[size];
  if (!spec) throw new Error(`unknown size ${size}; expected one of ${Object.keys(SIZES).join(', ')}`);
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n); // 0 .. n-1
  const between = (lo, hi) => lo + int(hi - lo + 1);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => rand() < p;
  /** k distinct indices in [0, n). */
  const sample = (n, k) => {
    const chosen = new Set();
    while (chosen.size < Math.min(k, n)) chosen.add(int(n));
    return [...chosen];
  };

  const files = new Map(); // relative path → text
  const expected = []; // { ruleId, file, line, what }
  const seedAt = (ruleId, file, line, what) => expected.push({ ruleId, file, line, what });
  const identity = (p) => `identity/${p}`;

  // --- Accounts -------------------------------------------------------------------------------------------
  const accounts = [];
  const usedIds = new Set();
  for (let i = 0; i < spec.accounts; i++) {
    let id;
    do id = Array.from({ length: 12 }, () => int(10)).join('');
    while (usedIds.has(id));
    usedIds.add(id);
    const domain = DOMAINS[i % DOMAINS.length];
    const env = ENVS[Math.floor(i / DOMAINS.length) % ENVS.length];
    accounts.push({ alias: `${domain}-${env}-${pad(i, 4)}`, id });
  }
  const region = pick(REGIONS);
  {
    const lines = [
      '# The Identity Center instance and every account of the organisation (generated for the benchmark).',
      'kind: IdentityCenter',
      'instanceArn: arn:aws:sso:::instance/ssoins-72236b4c3a9e5f10',
      'identityStoreId: d-9067a1b2c3',
      `region: ${region}`,
      'scim:',
      '  idp: entra',
      `  endpoint: https://scim.${region}.amazonaws.com/Xy7Qp2Lm-4k9d-41aa-8c3e-5b0f6d2e9a17/scim/v2`,
      `  tokenCreated: "${TOKEN_CREATED}"`,
      'accounts:',
    ];
    for (const a of accounts) lines.push(`  ${a.alias}: "${a.id}"`);
    files.set(identity('instance.yaml'), lines);
  }

  // --- Permission sets ------------------------------------------------------------------------------------
  const psNames = [];
  {
    const combos = [];
    for (const role of PS_ROLES) for (const domain of DOMAINS) combos.push(`${role}-${domain}`);
    for (let i = combos.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [combos[i], combos[j]] = [combos[j], combos[i]];
    }
    // The organisation-wide sets first, then team sets.
    const base = ['AdministratorAccess', 'ReadOnlyAccess', 'BreakGlass', 'SecurityAudit', 'Billing'];
    for (const name of [...base, ...combos].slice(0, spec.permissionSets)) psNames.push(name);
  }
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

  // --- Users ----------------------------------------------------------------------------------------------
  const users = [];
  {
    const used = new Map();
    for (let i = 0; i < spec.users; i++) {
      const given = pick(GIVEN);
      const family = pick(FAMILY);
      users.push({ userName: userNameFor(used, given, family), given, family });
    }
  }
  // Users missing familyName (IDC011), spread over the organisation.
  const noFamily = new Set(spreadIndices(spec.users, spec.seeds.IDC011 ?? 0, 7));
  for (let f = 0; f * USERS_PER_FILE < users.length; f++) {
    const path = `users/users-${pad(f + 1, 3)}.yaml`;
    const lines = [
      `# Users provisioned by Entra ID, batch ${f + 1} (generated for the benchmark).`,
      'kind: Users',
      'users:',
    ];
    for (let i = f * USERS_PER_FILE; i < Math.min(users.length, (f + 1) * USERS_PER_FILE); i++) {
      const u = users[i];
      if (noFamily.has(i))
        seedAt('IDC011', identity(path), lines.length + 1, `user ${u.userName} has no familyName`);
      lines.push(`  - userName: ${u.userName}`, `    displayName: ${q(`${u.given} ${u.family}`)}`);
      lines.push(`    givenName: ${u.given}`);
      if (!noFamily.has(i)) lines.push(`    familyName: ${u.family}`);
      lines.push(`    email: ${u.userName}`);
      if (i % 97 === 13) lines.push('    active: false');
    }
    files.set(identity(path), lines);
  }

  // --- Groups ---------------------------------------------------------------------------------------------
  const groups = [];
  for (let i = 0; i < spec.groups; i++) {
    const domain = pick(DOMAINS);
    const role = pick(GROUP_ROLES);
    groups.push({
      name: `aws-${domain}-${role}-${pad(i, 5)}`,
      description: `${domain[0].toUpperCase()}${domain.slice(1)} ${role}${chance(0.3) ? ` (${pick(ENVS)} accounts)` : ''}`,
      manual: i % 67 === 5,
      members: sample(users.length, between(5, 20)).map((k) => users[k].userName),
      nested: undefined,
      duplicateOf: undefined,
      ghost: undefined,
    });
  }
  // Duplicate names (IDC003): a later group re-declares an earlier one's name in another case.
  for (const i of spreadIndices(spec.groups, spec.seeds.IDC003 ?? 0, 11, 0.5)) {
    const original = groups[i - Math.floor(spec.groups / 2)];
    groups[i].duplicateOf = original.name;
    groups[i].name = original.name.replace(/^aws-[a-z]+/, (m) => m.toUpperCase());
  }
  // Nested groups (IDC005) and members who are not declared users (IDC002).
  const nestedAt = spreadIndices(spec.groups, spec.seeds.IDC005 ?? 0, 3);
  for (const i of nestedAt) groups[i].nested = groups[(i + 1) % spec.groups].name;
  const undeclared = spec.seeds.IDC002 ?? 0;
  const ghostMembers = Math.ceil(undeclared / 3); // the IDC002 seeds are split: member, alias, permission set
  const aliasSeeds = Math.ceil((undeclared - ghostMembers) / 2);
  const psSeeds = undeclared - ghostMembers - aliasSeeds;
  for (const [k, i] of spreadIndices(spec.groups, ghostMembers, 5).entries()) {
    groups[i].ghost = `former.employee${k + 1}@corp.example.com`;
  }
  // A group created by hand holds no IdP members, so no seeded finding goes on one.
  for (const g of groups) if (g.nested || g.ghost) g.manual = false;
  for (let f = 0; f * GROUPS_PER_FILE < groups.length; f++) {
    const path = `groups/groups-${pad(f + 1, 3)}.yaml`;
    const file = identity(path);
    const lines = [
      `# Groups pushed by Entra ID, batch ${f + 1} (generated for the benchmark).`,
      'kind: Groups',
      'groups:',
    ];
    for (let i = f * GROUPS_PER_FILE; i < Math.min(groups.length, (f + 1) * GROUPS_PER_FILE); i++) {
      const g = groups[i];
      if (g.duplicateOf) seedAt('IDC003', file, lines.length + 1, `${g.name} duplicates ${g.duplicateOf}`);
      lines.push(`  - name: ${g.name}`);
      lines.push(i % 4 === 0 ? `    description: ${q(g.description)}` : `    description: ${g.description}`);
      if (g.manual) {
        lines.push('    source: manual # created in the console for an audit; never pushed by the IdP');
        continue;
      }
      lines.push('    members:');
      if (i % 2 === 0) {
        if (g.ghost) {
          lines.push(`      # ${g.ghost} left the company but is still in the IdP group`);
          seedAt('IDC002', file, lines.length + 1, `member ${g.ghost} is not declared`);
        }
        lines.push(`      users: [${(g.ghost ? [...g.members, g.ghost] : g.members).join(', ')}]`);
      } else {
        lines.push('      users:', ...g.members.map((m) => `        - ${m}`));
        if (g.ghost) {
          seedAt('IDC002', file, lines.length + 1, `member ${g.ghost} is not declared`);
          lines.push(`        - ${g.ghost}`);
        }
      }
      if (g.nested) {
        seedAt('IDC005', file, lines.length + 1, `${g.nested} is nested in ${g.name}`);
        lines.push(`      groups: [${g.nested}]`);
      }
    }
    files.set(file, lines);
  }

  // --- Assignments ----------------------------------------------------------------------------------------
  // Distinct (principal, permission set) pairs, each with distinct accounts, so every tuple is distinct.
  // A nested group is not itself assigned (the classic case: its members expect the outer group's access).
  const nestedInner = new Set(groups.filter((g) => g.nested).map((g) => g.nested));
  const assignable = groups
    .map((g, i) => i)
    .filter((i) => !groups[i].duplicateOf && !nestedInner.has(groups[i].name));
  const entries = [];
  const pairs = new Set();
  let tuples = 0;
  const accountRef = (a) => (chance(0.7) ? a.alias : `"${a.id}"`);
  const accountCount = () => {
    const r = rand();
    const n = r < 0.6 ? between(1, 3) : r < 0.9 ? between(4, 10) : between(10, 25);
    return Math.min(n, accounts.length);
  };
  const seededTuples = aliasSeeds * 2 + psSeeds * 2;
  while (tuples < spec.tuples - seededTuples) {
    const isUser = chance(0.02);
    let principal;
    let ps;
    for (let tries = 0; ; tries++) {
      if (tries > 10_000) throw new Error(`cannot find a new principal/permission set pair at size ${size}`);
      principal = isUser ? users[int(users.length)].userName : groups[pick(assignable)].name;
      ps = isUser ? pick(psNames.slice(0, 3)) : pick(psNames);
      const key = `${isUser ? 'u' : 'g'}:${principal}\u0000${ps}`;
      if (!pairs.has(key)) {
        pairs.add(key);
        break;
      }
    }
    const n = Math.min(accountCount(), spec.tuples - seededTuples - tuples);
    const refs = sample(accounts.length, n).map((k) => accountRef(accounts[k]));
    tuples += refs.length;
    entries.push({ type: isUser ? 'user' : 'group', principal, ps, refs });
  }
  // Seeded IDC002: an account alias nobody declared, and a permission set nobody declared.
  const seededEntries = [];
  for (let k = 0; k < aliasSeeds; k++) {
    const principal = groups[assignable[(k * 7 + 3) % assignable.length]].name;
    seededEntries.push({
      type: 'group',
      principal,
      ps: psNames[1 % psNames.length],
      refs: [accounts[k].alias, `legacy-sandbox-${k + 1}`],
      seed: 'alias',
    });
  }
  for (let k = 0; k < psSeeds; k++) {
    const principal = groups[assignable[(k * 13 + 5) % assignable.length]].name;
    seededEntries.push({
      type: 'group',
      principal,
      ps: `Retired-Analyst-${k + 1}`,
      refs: [accounts[0].alias, accounts[1 % accounts.length].alias],
      seed: 'permissionSet',
    });
  }
  seededEntries.forEach((e, k) =>
    entries.splice(Math.floor(((k + 1) * entries.length) / (seededEntries.length + 1)), 0, e),
  );
  tuples += seededEntries.reduce((sum, e) => sum + e.refs.length, 0);

  for (let f = 0; f * ASSIGNMENTS_PER_FILE < entries.length; f++) {
    const path = `assignments/assignments-${pad(f + 1, 3)}.yaml`;
    const file = identity(path);
    const lines = [`# Account assignments, batch ${f + 1} (generated for the benchmark).`];
    const batch = entries.slice(f * ASSIGNMENTS_PER_FILE, (f + 1) * ASSIGNMENTS_PER_FILE);
    const half = Math.ceil(batch.length / 2);
    batch.forEach((e, k) => {
      if (k === 0 || k === half) {
        if (k === half) lines.push('---');
        lines.push('kind: Assignments', 'assignments:');
      }
      lines.push(`  - ${e.type}: ${e.principal}`);
      if (e.seed === 'permissionSet')
        seedAt('IDC002', file, lines.length + 1, `permission set ${e.ps} is not declared`);
      lines.push(`    permissionSet: ${e.ps}`);
      if (e.seed === 'alias') seedAt('IDC002', file, lines.length + 1, `alias ${e.refs[1]} is not declared`);
      if (e.refs.length <= 8 || e.seed) lines.push(`    accounts: [${e.refs.join(', ')}]`);
      else lines.push('    accounts:', ...e.refs.map((r) => `      - ${r}`));
    });
    files.set(file, lines);
  }

  // --- Attribute mapping ----------------------------------------------------------------------------------
  const inScope = new Set();
  for (const e of entries) if (e.type === 'group') inScope.add(e.principal);
  const manualNames = new Set(groups.filter((g) => g.manual).map((g) => g.name));
  const appGroups = [...inScope].filter((n) => !manualNames.has(n)).sort();
  {
    const lines = [
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
    files.set(identity('entra-mapping.yaml'), lines);
  }

  // --- Write ----------------------------------------------------------------------------------------------
  rmSync(join(dir, 'identity'), { recursive: true, force: true });
  let bytes = 0;
  const made = new Set();
  for (const [path, lines] of files) {
    const abs = join(dir, path);
    const parent = dirname(abs);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    const text = `${lines.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    writeFileSync(abs, text);
  }

  const findingsByRule = {};
  for (const e of [...expected].sort((x, y) => (x.ruleId < y.ruleId ? -1 : 1)))
    findingsByRule[e.ruleId] = (findingsByRule[e.ruleId] ?? 0) + 1;
  return {
    files: files.size,
    bytes,
    accounts: accounts.length,
    permissionSets: psNames.length,
    groups: groups.length,
    users: users.length,
    assignmentTuples: tuples,
    assignmentEntries: entries.length,
    expected: { findingsByRule, findings: expected },
  };
}

/** k indices spread over [0, n), starting at `from` × n, offset so that they do not all land on file edges. */
function spreadIndices(n, k, offset, from = 0) {
  const start = Math.floor(n * from);
  const span = n - start;
  return Array.from({ length: k }, (_, j) => start + ((Math.floor(((j + 0.5) * span) / k) + offset) % span));
}
