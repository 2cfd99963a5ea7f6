// Generates a synthetic, deterministic organisation of idc-guard declarations for the benchmark.
//
// The organisation is clean (no findings) except for a few findings seeded on purpose, whose rule, file and
// line are returned so that the benchmark can check that the engine finds exactly those and nothing else.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { drawGroup, drawUser, generateAccounts, permissionSetNames, writeFiles } from './organisation.js';
import { randomDraws } from './random.js';
import { addPermissionSets, attributeMappingLines } from './static-files.js';
import { ENVS, pad, q, REGIONS } from './vocabulary.js';

// The shared parts, as the benchmark's scripts and bench/live-org.js have imported them from here.
export { mulberry32 } from './random.js';
export {
  DOMAINS,
  ENVS,
  FAMILY,
  GIVEN,
  GROUP_ROLES,
  list,
  MANAGED_POLICIES,
  PS_ROLES,
  userNameFor,
} from './vocabulary.js';

/** Bump when the output changes, so that `scripts/bench.js` regenerates organisations left from before. */
export const GENERATOR_VERSION = 3;
/** The files under bench/ whose source is the generator's (scripts/bench.js regenerates when they change). */
export const GENERATOR_SOURCES = [
  'generate.js',
  'organisation.js',
  'random.js',
  'static-files.js',
  'vocabulary.js',
];

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
// policy JSON files), about 90 assignment files and 2 more: about 900 files, the size the design targets.
const USERS_PER_FILE = 200;
const GROUPS_PER_FILE = 100;
const ASSIGNMENTS_PER_FILE = 220;

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
  const draw = randomDraws(seed);
  const { rand, int, between, pick, chance, sample } = draw;

  const files = new Map(); // relative path → text
  const expected = []; // { ruleId, file, line, what }
  const seedAt = (ruleId, file, line, what) => expected.push({ ruleId, file, line, what });
  const identity = (p) => `identity/${p}`;

  // --- Accounts -------------------------------------------------------------------------------------------
  const accounts = generateAccounts(draw, spec.accounts);
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
  const psNames = permissionSetNames(draw, spec.permissionSets);
  addPermissionSets(draw, psNames, region, files);

  // --- Users ----------------------------------------------------------------------------------------------
  const users = [];
  {
    const used = new Map();
    for (let i = 0; i < spec.users; i++) users.push(drawUser(draw, used));
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
    const { domain, role, name } = drawGroup(draw, i);
    groups.push({
      name,
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
  const ghostMembers = Math.ceil(undeclared / 3); // the IDC002 seeds are split: member, assigned user, permission set
  const userSeeds = Math.ceil((undeclared - ghostMembers) / 2);
  const psSeeds = undeclared - ghostMembers - userSeeds;
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
  const seededTuples = userSeeds + psSeeds * 2;
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
  // Seeded IDC002: a user who left the company (not in the Users documents), and a permission set nobody
  // declared. (An undeclared alias was one until account names became targets: it is resolved as a name now.)
  const seededEntries = [];
  for (let k = 0; k < userSeeds; k++) {
    seededEntries.push({
      type: 'user',
      principal: `departed-${k + 1}@example.com`,
      ps: psNames[1 % psNames.length],
      refs: [accounts[k].alias],
      seed: 'user',
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
      if (e.seed === 'user') seedAt('IDC002', file, lines.length + 1, `user ${e.principal} is not declared`);
      lines.push(`  - ${e.type}: ${e.principal}`);
      if (e.seed === 'permissionSet')
        seedAt('IDC002', file, lines.length + 1, `permission set ${e.ps} is not declared`);
      lines.push(`    permissionSet: ${e.ps}`);
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
  files.set(identity('entra-mapping.yaml'), attributeMappingLines(appGroups));

  // --- Write ----------------------------------------------------------------------------------------------
  rmSync(join(dir, 'identity'), { recursive: true, force: true });
  const bytes = writeFiles(dir, files);

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
