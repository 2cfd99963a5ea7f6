#!/usr/bin/env node
// The live-read benchmark: the stage of `npm run bench` that reads a generated organisation from the local
// Identity Center server (test/aws/idc_server.py) rate-limited to 20 requests a second, as AWS is. See
// bench/README.md ("Live read").
//
//   node scripts/bench-live.js                 seed M, read it in drift and in PR-check mode, print the table
//   node scripts/bench-live.js --sizes S,M     (scripts/bench.js runs this stage after the static one and
//                                              writes its result under `live` in bench/results.json)
//
// Per size it: starts the server from the project's own file; generates the organisation from a seeded PRNG;
// seeds it through the real @aws-sdk clients with the server's limit off; writes declarations that match it
// (bench/out/live-<size>/ for drift, a smaller bench/out/live-<size>-pr/ for the PR check); then, with the
// limit at 20/s, times `idc-guard check --live aws` in each mode and compares its calls with the server's
// count, with the calls the reader should make for that data (a model of src/live/reader.ts), with the
// minimum any reader needs, and with a naive reader that lists every account × permission set.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fakeData, principalsOf, pullRequest, runReader } from './bench-model.js';
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
import {
  CHECK_DATE,
  DOMAINS,
  ENVS,
  FAMILY,
  GIVEN,
  GROUP_ROLES,
  list,
  MANAGED_POLICIES as STATIC_MANAGED_POLICIES,
  mulberry32,
  PS_ROLES,
  TOKEN_CREATED,
  userNameFor,
} from '../bench/generate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const CLI = join(ROOT, 'dist', 'cli.js');
const SERVER_SCRIPT = join(ROOT, 'test', 'aws', 'idc_server.py');
const INSTALL_HINT = "pip install 'moto[server]'";

/** Identity Center's account-wide limit, which the server enforces during the measured reads. */
export const RATE = 20;
/** The page size of every listing (the APIs' maximum, and the reader's default). */
const PAGE = 100;
/** Calls in flight while seeding (the server's limit is off then). */
const SEED_CONCURRENCY = 8;
const REGION = 'us-east-1';
const SCIM_ISSUER = 'https://sts.windows.net/5b0f6d2e-9a17-41aa-8c3e-72236b4c3a9e/';

/**
 * The organisations. `tuples` counts group × permission set × account; every group is SCIM-provisioned
 * (ExternalIds) with 5-20 members; every user has every attribute. `prGroups` is how many groups the PR-check
 * repository declares (with their members, their assignments and every permission set): a PR check of the
 * whole repository costs about as much as drift mode (modelled and printed), so the measured one is smaller.
 * M is issue 4's medium organisation (100 accounts, 40 permission sets, 500 groups, 2,000 assignments) with
 * issue 8's 5,000 users; 2,000 users would save 30 ListUsers pages (1.5 s) of the drift read and about 20 s of
 * seeding. S is issue 8's small one, for `--live-sizes S,M`.
 */
export const LIVE_SIZES = {
  S: { accounts: 20, permissionSets: 10, groups: 50, users: 500, tuples: 500, prGroups: 10 },
  M: { accounts: 100, permissionSets: 40, groups: 500, users: 5_000, tuples: 2_000, prGroups: 25 },
};

/** Issue 8's large organisation: too slow to seed into the server, so its reads are computed from the model. */
const MODEL_SIZES = {
  L: { accounts: 1_000, permissionSets: 300, groups: 20_000, users: 50_000, tuples: 100_000, prGroups: 25 },
};

// Vocabulary of the live organisation alone; the rest is bench/generate.js's.
const BASE_SETS = ['AdministratorAccess', 'ReadOnlyAccess', 'BreakGlass', 'SecurityAudit', 'Billing'];
/** AWS managed policies that the server knows (some with a path): the static bench's, but one. */
const MANAGED_POLICIES = STATIC_MANAGED_POLICIES.filter(
  (arn) => !arn.endsWith('/AWSCloudFormationReadOnlyAccess'),
);
const ACTIONS = list(`
  s3:GetObject, s3:ListBucket, s3:PutObject, ec2:Describe*, ec2:StartInstances, ec2:StopInstances,
  logs:GetLogEvents, logs:FilterLogEvents, cloudwatch:GetMetricData, dynamodb:Query, dynamodb:GetItem,
  lambda:InvokeFunction, kms:Decrypt, sqs:SendMessage, sns:Publish, ssm:GetParameter, ecs:UpdateService
`);
const DENY_ACTIONS = list(`
  organizations:LeaveOrganization, iam:CreateUser, iam:CreateAccessKey, cloudtrail:StopLogging,
  cloudtrail:DeleteTrail, guardduty:DeleteDetector
`);

// ------------------------------------------------------------------------------------------------------------
// The organisation
// ------------------------------------------------------------------------------------------------------------

/**
 * The organisation of `size`, in memory, from a seeded PRNG (the same size and seed give the same data).
 *
 * How assignments are spread matters, since the reader lists assignments only for the provisioned (account,
 * permission set) pairs: each permission set has "home" accounts where it is used (a team's set: its team's
 * accounts and 1-5 others; an organisation-wide set: 20-60% of the accounts), and each assignment gives a
 * group one set in 1-4 of that set's home accounts. At M, 353 of the 4,000 pairs (8.8%) end up provisioned;
 * DESIGN.md's example has 12.5% (3,000 of 24,000). The assignment-learning ratio against the naive reader
 * depends on this density alone, so it is printed with the results.
 */
export function generateLiveOrg(size, seed = 42) {
  const spec = LIVE_SIZES[size] ?? MODEL_SIZES[size];
  if (!spec) throw new Error(`unknown live size ${size}; expected one of ${Object.keys(LIVE_SIZES)}`);
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const between = (lo, hi) => lo + int(hi - lo + 1);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rand() < p;
  const sample = (n, k) => {
    const chosen = new Set();
    while (chosen.size < Math.min(k, n)) chosen.add(int(n));
    return [...chosen];
  };
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');

  const accounts = [];
  const usedIds = new Set();
  for (let i = 0; i < spec.accounts; i++) {
    let id;
    do id = Array.from({ length: 12 }, () => int(10)).join('');
    while (usedIds.has(id));
    usedIds.add(id);
    const domain = DOMAINS[i % DOMAINS.length];
    accounts.push({
      alias: `${domain}-${ENVS[Math.floor(i / DOMAINS.length) % ENVS.length]}-${pad(i, 4)}`,
      id,
      domain,
    });
  }

  const combos = [];
  for (const role of PS_ROLES) for (const domain of DOMAINS) combos.push(`${role}-${domain}`);
  for (let i = combos.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [combos[i], combos[j]] = [combos[j], combos[i]];
  }
  const permissionSets = [...BASE_SETS, ...combos].slice(0, spec.permissionSets).map((name, i) => {
    const domain = name.split('-')[1];
    const ps = {
      name,
      description: domain
        ? `${name.split('-')[0]} access for the ${domain} team`
        : `${name} for the organisation`,
      sessionDuration: pick(['PT1H', 'PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT12H', 'PT1H30M']),
      managedPolicies: sample(MANAGED_POLICIES.length, between(0, 3)).map((k) => MANAGED_POLICIES[k]),
      customerManagedPolicies: [],
      tags: {},
    };
    if (chance(0.4)) ps.relayState = `https://${REGION}.console.aws.amazon.com/console/home`;
    if (chance(0.4)) {
      for (let k = between(1, 3) - 1; k >= 0; k--) {
        ps.customerManagedPolicies.push({
          name: `${domain ?? 'org'}-${pick(['deny-regions', 'kms-use', 'tagging'])}-${k}`,
          path: chance(0.5) ? '/' : `/${domain ?? 'org'}/`,
        });
      }
    }
    if (chance(0.35)) ps.inlinePolicy = policyDocument();
    if (chance(0.2)) {
      ps.permissionsBoundary = chance(0.5)
        ? { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }
        : { customerManagedPolicyReference: { name: `${domain ?? 'org'}-boundary`, path: '/' } };
    }
    if (chance(0.8)) {
      ps.tags.team = domain ?? 'platform';
      ps.tags['cost-center'] = pad(between(1000, 9999), 4);
    }
    // Home accounts: where this set is used.
    const home = new Set();
    if (i < BASE_SETS.length) {
      for (const k of sample(
        accounts.length,
        between(Math.ceil(accounts.length * 0.2), Math.ceil(accounts.length * 0.6)),
      ))
        home.add(k);
    } else {
      accounts.forEach((a, k) => a.domain === domain && home.add(k));
      for (const k of sample(accounts.length, between(1, 5))) home.add(k);
    }
    ps.home = [...home].sort((a, b) => a - b);
    return ps;
  });

  function policyDocument() {
    const statements = [];
    for (let k = 0, n = between(2, 6); k < n; k++) {
      const deny = k === 0 || chance(0.2);
      const pool = deny ? DENY_ACTIONS : ACTIONS;
      statements.push({
        Sid: `${deny ? 'Deny' : 'Allow'}${k}`,
        Effect: deny ? 'Deny' : 'Allow',
        Action: sample(pool.length, between(1, 4)).map((j) => pool[j]),
        Resource: '*',
      });
    }
    return { Version: '2012-10-17', Statement: statements };
  }

  const users = [];
  const seen = new Map();
  for (let i = 0; i < spec.users; i++) {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    users.push({
      userName: userNameFor(seen, given, family),
      displayName: `${given} ${family}`,
      givenName: given,
      familyName: family,
      externalId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    });
  }

  const groups = [];
  for (let i = 0; i < spec.groups; i++) {
    const domain = pick(DOMAINS);
    const role = pick(GROUP_ROLES);
    groups.push({
      name: `aws-${domain}-${role}-${pad(i, 5)}`,
      description: `${domain[0].toUpperCase()}${domain.slice(1)} ${role}`,
      externalId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      members: sample(users.length, between(5, 20)).map((k) => users[k].userName),
    });
  }

  // Assignments: distinct (group, permission set) entries, each in 1-4 of the set's home accounts, so every
  // tuple is distinct. A quarter of them use an organisation-wide set.
  const entries = [];
  const pairs = new Set();
  let tuples = 0;
  const base = Math.min(BASE_SETS.length, permissionSets.length);
  while (tuples < spec.tuples) {
    let group;
    let ps;
    for (let tries = 0; ; tries++) {
      if (tries > 10_000) throw new Error(`cannot find a new group/permission set pair at live size ${size}`);
      group = int(groups.length);
      ps =
        chance(0.25) || base === permissionSets.length ? int(base) : base + int(permissionSets.length - base);
      if (!pairs.has(`${group}|${ps}`)) break;
    }
    pairs.add(`${group}|${ps}`);
    const home = permissionSets[ps].home;
    const n = Math.min(between(1, 4), home.length, spec.tuples - tuples);
    const chosen = sample(home.length, n).map((k) => home[k]);
    tuples += chosen.length;
    entries.push({
      group: groups[group].name,
      permissionSet: permissionSets[ps].name,
      accounts: chosen.map((k) => accounts[k].id),
      refs: chosen.map((k) => (chance(0.7) ? accounts[k].alias : `"${accounts[k].id}"`)),
    });
  }

  // The PR-check repository's groups: a seeded sample of assigned groups (a separate stream, so that
  // changing prGroups does not change the organisation).
  const prRand = mulberry32(seed + 1);
  const assigned = [...new Set(entries.map((e) => e.group))].sort();
  const prGroups = new Set();
  while (prGroups.size < Math.min(spec.prGroups, assigned.length))
    prGroups.add(assigned[Math.floor(prRand() * assigned.length)]);

  return {
    size,
    seed,
    spec,
    accounts,
    permissionSets,
    users,
    groups,
    entries,
    tuples,
    prGroups: [...prGroups].sort(),
  };
}

/** Counts derived from the organisation, used by the models below. */
export function describeOrg(org) {
  const assignmentsByPair = new Map(); // "accountId|ps" → n
  const assignmentsByGroup = new Map();
  const accountsBySet = new Map(org.permissionSets.map((p) => [p.name, new Set()]));
  for (const e of org.entries) {
    for (const a of e.accounts) {
      const key = `${a}|${e.permissionSet}`;
      assignmentsByPair.set(key, (assignmentsByPair.get(key) ?? 0) + 1);
      accountsBySet.get(e.permissionSet).add(a);
    }
    assignmentsByGroup.set(e.group, (assignmentsByGroup.get(e.group) ?? 0) + e.accounts.length);
  }
  const allPairs = org.accounts.length * org.permissionSets.length;
  return {
    accounts: org.accounts.length,
    permissionSets: org.permissionSets.length,
    groups: org.groups.length,
    users: org.users.length,
    memberships: org.groups.reduce((n, g) => n + g.members.length, 0),
    assignmentEntries: org.entries.length,
    assignmentTuples: org.tuples,
    assignedGroups: assignmentsByGroup.size,
    provisionedPairs: assignmentsByPair.size,
    allPairs,
    pairDensity: round(assignmentsByPair.size / allPairs, 3),
    inlinePolicies: org.permissionSets.filter((p) => p.inlinePolicy).length,
    withCustomerManaged: org.permissionSets.filter((p) => p.customerManagedPolicies.length).length,
    withBoundary: org.permissionSets.filter((p) => p.permissionsBoundary).length,
    withTags: org.permissionSets.filter((p) => Object.keys(p.tags).length).length,
    assignmentsByPair,
    assignmentsByGroup,
    accountsBySet,
  };
}

// ------------------------------------------------------------------------------------------------------------
// What a read costs: the reader's own plan (a model of src/live/reader.ts), the minimum, the naive reader
// ------------------------------------------------------------------------------------------------------------

const pages = (n) => Math.max(1, Math.ceil(n / PAGE));
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/**
 * The yardstick the reads are compared with (not a model of the reader: scripts/bench-model.js runs the real
 * one): the calls a reader needs for this organisation, by operation, when nothing fails. The instance is
 * declared, so there is no ListInstances.
 * - drift ('all'): ListGroups/ListUsers pages; ListGroupMemberships per group; ListPermissionSets pages; per
 *   set DescribePermissionSet, managed, customer managed, inline, boundary, tags, and
 *   ListAccountsForProvisionedPermissionSet (all, then the not-provisioned filter when there is an account);
 *   ListAccountAssignments per provisioned pair. Tags included: the full read of snapshot and init.
 * - check ('principals'): the declared groups from ListGroups pages while those cost no more than
 *   GetGroupId + DescribeGroup each (then those, for the rest); per declared group ListGroupMemberships and
 *   ListAccountAssignmentsForPrincipal; the members from ListUsers pages while those cost no more than
 *   DescribeUser each (then that); the declared sets as above ({@link minimumCalls} takes the cheaper way
 *   to learn each piece).
 */
export function minimumPlan(org, d, mode, declaredGroups) {
  const setDetails = {
    DescribePermissionSet: org.permissionSets.length,
    ListManagedPoliciesInPermissionSet: org.permissionSets.length,
    ListCustomerManagedPolicyReferencesInPermissionSet: org.permissionSets.length,
    GetInlinePolicyForPermissionSet: org.permissionSets.length,
    GetPermissionsBoundaryForPermissionSet: org.permissionSets.length,
    ListTagsForResource: org.permissionSets.length,
    ListAccountsForProvisionedPermissionSet: sum(
      org.permissionSets.map((p) => {
        const n = d.accountsBySet.get(p.name).size;
        return pages(n) + (n > 0 ? 1 : 0); // nothing is outdated: one page for the filtered listing
      }),
    ),
    ListPermissionSets: pages(org.permissionSets.length),
  };
  if (mode === 'drift') {
    return sortKeys({
      ListGroups: pages(org.groups.length),
      ListUsers: pages(org.users.length),
      ListGroupMemberships: sum(org.groups.map((g) => pages(g.members.length))),
      ...setDetails,
      ListAccountAssignments: sum([...d.assignmentsByPair.values()].map(pages)),
    });
  }
  const groups = org.groups.filter((g) => declaredGroups.has(g.name));
  const members = new Set(groups.flatMap((g) => g.members));
  return sortKeys({
    // Listed while that costs no more than the look-ups would (2 calls a group, 1 a user), then looked up.
    ...listedWhileCheaper('ListGroups', ['GetGroupId', 'DescribeGroup'], groups.length, org.groups.length),
    ListGroupMemberships: sum(groups.map((g) => pages(g.members.length))),
    ListAccountAssignmentsForPrincipal: sum(groups.map((g) => pages(d.assignmentsByGroup.get(g.name) ?? 0))),
    ...listedWhileCheaper('ListUsers', ['DescribeUser'], members.size, org.users.length),
    ...setDetails,
  });
}

/**
 * The reader's `listWhileCheaper`: `wanted` items among `total`, listed for at most as many pages as their
 * look-ups cost. When the listing fits, its pages (an upper bound: it stops once all are found, which depends
 * on the store's order); otherwise the budget's pages, and look-ups for the share of items not on them.
 */
function listedWhileCheaper(listing, lookups, wanted, total) {
  const budget = wanted * lookups.length;
  if (pages(total) <= budget) return { [listing]: pages(total) };
  const missed = Math.round(wanted * (1 - budget / pages(total)));
  return { [listing]: budget, ...Object.fromEntries(lookups.map((op) => [op, missed])) };
}

/** Operations whose model is an upper bound in a PR check: a listing stops once every wanted item is found. */
const AT_MOST = new Set(['ListGroups', 'ListUsers']);

/**
 * The fewest calls that read what the mode needs, from the generated data: every listing's pages at 100 a
 * page, and for each piece the cheaper of the ways to learn it.
 * - drift: the reader's plan is the minimum (assignments must be listed per provisioned pair: listing them
 *   per principal would miss assignments to deleted principals, IDC109).
 * - check: the declared groups by name, ID and ExternalIds: GetGroupId + DescribeGroup each, or the ListGroups
 *   pages if fewer; the members' attributes: DescribeUser each, or the ListUsers pages if fewer; the rest as
 *   in the plan (memberships and assignments per declared group, the declared sets in full).
 */
export function minimumCalls(org, d, mode, declaredGroups) {
  const plan = minimumPlan(org, d, mode, declaredGroups);
  if (mode === 'drift') return { byOperation: plan, choices: [] };
  const groups = org.groups.filter((g) => declaredGroups.has(g.name));
  const members = new Set(groups.flatMap((g) => g.members)).size;
  const out = { ...plan };
  for (const op of ['ListGroups', 'GetGroupId', 'DescribeGroup', 'ListUsers', 'DescribeUser']) delete out[op];
  // No rule of a check reads tags, nor which accounts have a set's latest version: per set one listing of
  // the accounts lacking it (IDC108), one page here.
  delete out.ListTagsForResource;
  out.ListAccountsForProvisionedPermissionSet = org.permissionSets.length;
  const choices = [];
  // Each piece the cheaper way: the listing's pages, or the look-ups (2 calls a group, 1 a member).
  const groupPages = pages(org.groups.length);
  if (groupPages < 2 * groups.length) {
    out.ListGroups = groupPages;
    choices.push(
      `groups: ListGroups ${groupPages} pages instead of GetGroupId + DescribeGroup ${2 * groups.length}`,
    );
  } else Object.assign(out, { GetGroupId: groups.length, DescribeGroup: groups.length });
  const userPages = pages(org.users.length);
  if (userPages < members) {
    out.ListUsers = userPages;
    choices.push(`users: ListUsers ${userPages} pages instead of DescribeUser ${members}`);
  } else out.DescribeUser = members;
  return { byOperation: sortKeys(out), choices };
}

/** The calls spent learning the assignments (DESIGN.md, "How the naive comparison is measured"). */
const LEARNING = [
  'ListAccountsForProvisionedPermissionSet',
  'ListAccountAssignments',
  'ListAccountAssignmentsForPrincipal',
];
const learningCalls = (byOperation) => sum(LEARNING.map((op) => byOperation[op] ?? 0));

/** `list-account-assignments` for every account × permission set: one page each here (≤ 100 assignments). */
function naiveLearning(org, d) {
  let calls = 0;
  for (const a of org.accounts)
    for (const p of org.permissionSets) calls += pages(d.assignmentsByPair.get(`${a.id}|${p.name}`) ?? 0);
  return calls;
}

// ------------------------------------------------------------------------------------------------------------
// Declarations
// ------------------------------------------------------------------------------------------------------------

/**
 * Writes declarations matching the seeded state into `dir/identity/`, so that the check finds no drift.
 * `only`: the group names to declare (the PR-check repository); their members are the declared users and
 * their assignments the declared ones; every permission set and account is declared either way.
 */
export function writeDeclarations(org, dir, instance, only) {
  rmSync(dir, { recursive: true, force: true });
  const files = new Map();
  const groups = only ? org.groups.filter((g) => only.has(g.name)) : org.groups;
  const userNames = only ? new Set(groups.flatMap((g) => g.members)) : undefined;
  const users = userNames ? org.users.filter((u) => userNames.has(u.userName)) : org.users;
  const entries = only ? org.entries.filter((e) => only.has(e.group)) : org.entries;

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
    'appAssignments:',
    '  groups:',
    ...appGroups.map((n) => `    - ${n}`),
  ]);
  for (const [path, lines] of files) {
    const abs = join(dir, 'identity', path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, `${lines.join('\n')}\n`);
  }
  return { files: files.size, groups: groups.length, users: users.length, assignmentEntries: entries.length };
}

// ------------------------------------------------------------------------------------------------------------
// Seeding, through the real SDK clients
// ------------------------------------------------------------------------------------------------------------

/**
 * Lets CreateGroup/CreateUser send `ExternalIds` (not in the API model; only SCIM sets them), as
 * test/aws/seed.ts does: a build-step middleware adds `input.ExternalIds` to the serialised body.
 */
function addExternalIds(client) {
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

async function seedOrg(org, endpoint) {
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
function seedCalls(org) {
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

async function forEach(items, task, limit = SEED_CONCURRENCY) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ------------------------------------------------------------------------------------------------------------
// The server
// ------------------------------------------------------------------------------------------------------------

/** A python3 that can import moto.server: python3 on PATH, then ~/.pyenv/versions/<newest first>. */
function findPython() {
  const candidates = ['python3'];
  const versions = join(homedir(), '.pyenv', 'versions');
  if (existsSync(versions)) {
    for (const v of readdirSync(versions).sort().reverse()) {
      const candidate = join(versions, v, 'bin', 'python3');
      if (existsSync(candidate)) candidates.push(candidate);
    }
  }
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import moto, moto.server; print(moto.__version__)'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (probe.status === 0) return { python: candidate, moto: probe.stdout.trim() };
  }
  throw new LiveBenchError(
    "the live stage needs moto's server, and no python3 with moto[server] was found (tried python3 on PATH " +
      `and ~/.pyenv/versions/*/bin/python3): ${INSTALL_HINT}, or skip the stage with --no-live`,
  );
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolveOpen) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
  });
}

/** Starts test/aws/idc_server.py on a free loopback port (no rate limit) and waits until it answers. */
async function startServer() {
  const { python, moto } = findPython();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PYTHONUNBUFFERED: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('IDC_')) delete env[name];
  const child = spawn(python, [SERVER_SCRIPT, '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => (log = (log + chunk).slice(-6000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited;
  child.once('exit', (code, signal) => (exited = code ?? signal));
  child.once('error', (error) => (exited = String(error)));
  const kill = () => exited === undefined && child.kill('SIGKILL');
  process.once('exit', kill);

  const request = async (method, path) => {
    const response = await fetch(`${endpoint}${path}`, { method, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited !== undefined) {
      throw new LiveBenchError(
        `the local Identity Center server (${python} ${relative(ROOT, SERVER_SCRIPT)}) exited during start-up ` +
          `(${exited}); if moto is missing or broken: ${INSTALL_HINT}. Its output:\n${log.trim()}`,
      );
    }
    try {
      await request('GET', '/moto-api/idc/calls');
      break;
    } catch {
      if (Date.now() > deadline) {
        kill();
        throw new LiveBenchError(
          `the local Identity Center server did not answer on port ${port} within 20 s; if moto is missing or ` +
            `broken: ${INSTALL_HINT}. Its output:\n${log.trim()}`,
        );
      }
      await sleep(100);
    }
  }
  return {
    endpoint,
    python,
    moto,
    reset: () => request('POST', '/moto-api/reset'),
    seedRandom: (value) => request('POST', `/moto-api/seed?a=${value}`),
    setTps: (value) => request('POST', `/moto-api/idc/tps?value=${value}`),
    calls: () => request('GET', '/moto-api/idc/calls'),
    resetCalls: () => request('POST', '/moto-api/idc/calls/reset'),
    async stop() {
      process.removeListener('exit', kill);
      if (exited === undefined) child.kill('SIGTERM');
      // Wait for the port to close, not for the process (an exited server may linger as a zombie).
      const until = Date.now() + 5_000;
      while ((await portOpen(port)) && Date.now() < until) await sleep(50);
      if (await portOpen(port)) {
        child.kill('SIGKILL');
        while (await portOpen(port)) await sleep(50);
      }
    },
  };
}

export class LiveBenchError extends Error {}

// ------------------------------------------------------------------------------------------------------------
// Runs
// ------------------------------------------------------------------------------------------------------------

/** One `idc-guard check` as a child process: wall time from spawn to exit and the JSON report. */
function runCli(root, live, mode, endpoint, onTick) {
  const args = [CLI, 'check', '--root', root, '--live', live, '--format', 'json', '--fail-on', 'never'];
  if (mode) args.push('--mode', mode);
  const env = { ...process.env, IDC_GUARD_NOW: CHECK_DATE, NO_COLOR: '1' };
  // Only the server's endpoint and test credentials: no profile, no service-specific endpoint from the shell.
  for (const name of Object.keys(env)) if (/^AWS_/.test(name)) delete env[name];
  Object.assign(env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    const tick = onTick ? setInterval(() => onTick(performance.now() - t0), 15_000) : undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 20 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearInterval(tick);
      clearTimeout(guard);
      const err = Buffer.concat(stderr).toString('utf8');
      try {
        resolveRun({ code, wallMs, report: JSON.parse(Buffer.concat(stdout).toString('utf8')), stderr: err });
      } catch (e) {
        reject(
          new Error(
            `the check (${args.slice(1).join(' ')}) exited with ${code} and no JSON report (${e.message}): ${err}`,
          ),
        );
      }
    });
  });
}

/**
 * Runs the live stage for each size and returns what results.json records under `live`. `log` prints a line.
 * Throws LiveBenchError when the server cannot start.
 */
export async function runLiveBench({ sizes = ['S', 'M'], seed = 42, log = console.log } = {}) {
  if (!existsSync(CLI))
    throw new LiveBenchError(`${relative(ROOT, CLI)} is missing; build it: npx rollup -c rollup.config.js`);
  const started = performance.now();
  const cliHash = () => createHash('sha256').update(readFileSync(CLI)).digest('hex').slice(0, 16);
  const cliBefore = cliHash();
  const server = await startServer();
  log(
    `bench: live: ${relative(ROOT, SERVER_SCRIPT)} (moto ${server.moto}, ${server.python}) at ${server.endpoint}`,
  );
  const onSignal = () => server.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results = {};
  try {
    for (const size of sizes) results[size] = await benchSize(size, seed, server, log);
  } finally {
    await server.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  // A bundle rebuilt during the stage means its runs measured different builds: say so, and fail.
  const cliAfter = cliHash();
  if (cliAfter !== cliBefore) {
    for (const r of Object.values(results))
      r.problems.push(`dist/cli.js changed during the live stage (${cliBefore} → ${cliAfter}): run it again`);
  }
  return {
    date: new Date().toISOString(),
    rate: RATE,
    seed,
    modelled: await modelSize('L', seed),
    server: { script: relative(ROOT, SERVER_SCRIPT), moto: server.moto },
    cli: { file: 'dist/cli.js', sha256: cliBefore },
    command:
      'node dist/cli.js check --root bench/out/live-<size>[-pr] --live aws --mode drift|check --format json --fail-on never',
    seconds: round((performance.now() - started) / 1000, 1),
    sizes: results,
  };
}

async function benchSize(size, seed, server, log) {
  const org = generateLiveOrg(size, seed);
  const d = describeOrg(org);
  log(
    `bench: live ${size}: ${d.accounts} accounts, ${d.permissionSets} permission sets, ${d.groups} groups, ` +
      `${d.users} users, ${d.memberships} memberships, ${d.assignmentTuples} assignments ` +
      `(${d.provisionedPairs} of ${d.allPairs} account × permission set pairs provisioned)`,
  );

  // Seed at full speed.
  await server.reset();
  await server.seedRandom(seed);
  await server.setTps(0);
  const t0 = performance.now();
  const { instance, failedAttempts } = await seedOrg(org, server.endpoint);
  const seeded = await server.calls();
  const seeding = {
    calls: seeded.total,
    needed: seedCalls(org),
    seconds: round((performance.now() - t0) / 1000, 1),
    concurrency: SEED_CONCURRENCY,
    failedAttempts,
  };
  log(
    `bench: live ${size}: seeded in ${seeding.seconds} s: ${seeding.calls} calls for ${seeding.needed} ` +
      `(limit off, ${SEED_CONCURRENCY} in flight)` +
      (Object.keys(failedAttempts).length
        ? `; failed attempts, retried: ${Object.entries(failedAttempts)
            .map(([k, n]) => `${k} ×${n}`)
            .join(', ')}`
        : ''),
  );

  const driftRoot = join(OUT, `live-${size}`);
  const prRoot = join(OUT, `live-${size}-pr`);
  const allGroups = new Set(org.groups.map((g) => g.name));
  const prGroups = new Set(org.prGroups);
  const driftDecl = writeDeclarations(org, driftRoot, instance);
  const prDecl = writeDeclarations(org, prRoot, instance, prGroups);

  // The real reader on the same data in memory: what it does when nothing fails (scripts/bench-model.js).
  const data = fakeData(org);
  const plans = {
    drift: (await runReader(data, { read: 'drift' })).byOperation,
    check: (await runReader(data, { read: 'check', principals: principalsOf(org, org.prGroups) }))
      .byOperation,
  };
  const modes = {};
  const problems = [];
  for (const [mode, root, declared, decl] of [
    ['drift', driftRoot, allGroups, driftDecl],
    ['check', prRoot, prGroups, prDecl],
  ]) {
    // The same root without AWS: what the run costs besides the read (Node, parsing, rules).
    const offline = await runCli(root, 'off', undefined, server.endpoint);
    await server.setTps(RATE); // a fresh, full bucket at 20/s
    await server.resetCalls();
    process.stdout.write(`bench: live ${size} ${mode}: reading at ${RATE}/s `);
    // When the server throttles, and after how many calls: polled every 250 ms (these requests are not
    // Identity Center's, so they are neither counted nor limited).
    const throttledAt = [];
    const t0 = performance.now();
    let seen = 0;
    const poll = setInterval(async () => {
      try {
        const now = await server.calls();
        if (now.throttled > seen) {
          throttledAt.push({
            s: round((performance.now() - t0) / 1000, 2),
            calls: now.total,
            n: now.throttled - seen,
          });
          seen = now.throttled;
        }
      } catch {
        // a missed sample: the final count below is exact anyway
      }
    }, 250);
    let run;
    try {
      run = await runCli(root, 'aws', mode, server.endpoint, () => process.stdout.write('.'));
    } finally {
      clearInterval(poll);
    }
    process.stdout.write(` ${round(run.wallMs / 1000, 1)} s\n`);
    const serverCalls = await server.calls();
    const r = measure(org, d, mode, declared, decl, root, run, offline, serverCalls, plans[mode]);
    r.throttledAt = throttledAt;
    modes[mode] = r;
    for (const p of r.problems) problems.push(`${size} ${mode}: ${p}`);
  }
  // The naive reader beside it: the AWS CLI listing every account × permission set, at the same limit.
  const naiveCli = await runNaiveAwsCli(org, d, instance, server, log);
  await server.setTps(0);

  // A PR check's scoped read (25 groups' grants changed), measured: the reader in this process against the
  // server at 20/s (a fresh bucket), beside the same read in memory.
  const scope = pullRequest(org);
  const scopedModel = await runReader(data, { read: 'check', principals: principalsOf(org), scope });
  await server.setTps(RATE);
  await server.resetCalls();
  const scopedLive = await runReader(
    { ...data, ...instance },
    { read: 'check', principals: principalsOf(org), scope, endpoint: server.endpoint },
  );
  const scopedServer = await server.calls();
  await server.setTps(0);
  if (scopedServer.total !== scopedLive.calls)
    problems.push(
      `${size} pr: the server counted ${scopedServer.total} calls, the reader ${scopedLive.calls}`,
    );
  if (
    JSON.stringify(scopedLive.byOperation) !== JSON.stringify(scopedModel.byOperation) &&
    !scopedServer.throttled
  )
    problems.push(
      `${size} pr: ${JSON.stringify(scopedLive.byOperation)} live, ${JSON.stringify(scopedModel.byOperation)} in memory`,
    );
  if (scopedLive.failures.length) problems.push(`${size} pr: ${scopedLive.failures[0].message}`);
  log(
    `bench: live ${size} pr: a PR changing the grants of ${scope.groups.length} groups (${scope.permissionSets.length} ` +
      `permission sets): ${scopedLive.calls} calls in ${round(scopedLive.ms / 1000, 1)} s at ${RATE}/s (in memory: ${scopedModel.calls})`,
  );
  // A check of the whole repository (every group declared), by the real reader in memory: not run live.
  const full = await runReader(data, { read: 'check', principals: principalsOf(org) });
  const fullMin = minimumCalls(org, d, 'drift', allGroups);
  const fullMinimum = sum(Object.values(fullMin.byOperation));
  const modelled = {
    checkWholeRepository: {
      note: 'src/live/reader.ts run in memory on this data (every group declared), not run against the server',
      declaredGroups: allGroups.size,
      calls: full.calls,
      route: full.route,
      byOperation: full.byOperation,
      seconds: round(full.calls / RATE, 1),
      minimum: fullMinimum,
      minimumByOperation: fullMin.byOperation,
      minimumChoices: ['the full read (drift), tags included'],
      callsOverMinimum: round(full.calls / fullMinimum, 3),
    },
  };
  const pullRequestRead = {
    scope: { groups: scope.groups.length, permissionSets: scope.permissionSets.length, members: 0 },
    calls: scopedLive.calls,
    byOperation: scopedLive.byOperation,
    wallS: round(scopedLive.ms / 1000, 1),
    floorS: round(scopedLive.calls / RATE, 1),
    throttled: scopedServer.throttled,
    inMemory: scopedModel.calls,
    route: scopedLive.route,
  };
  const { assignmentsByPair: _p, assignmentsByGroup: _g, accountsBySet: _s, ...counts } = d;
  return { counts, seeding, instance, modes, pullRequest: pullRequestRead, naiveCli, modelled, problems };
}

/**
 * The reads of an organisation too large to seed, by the real reader run on its data in memory
 * (scripts/bench-model.js), beside the same minimum and the same naive reader as the measured sizes: calls,
 * and the time they take at 20/s (a read takes its floor, as the measured ones show).
 */
export async function modelSize(size, seed) {
  const org = generateLiveOrg(size, seed);
  const d = describeOrg(org);
  const data = fakeData(org);
  const all = new Set(org.groups.map((g) => g.name));
  const fullMinimum = sum(Object.values(minimumCalls(org, d, 'drift', all).byOperation));
  const read = async (options, minimum) => {
    const r = await runReader(data, options);
    if (r.failures.length) throw new LiveBenchError(`${size}: ${r.failures[0].message}`);
    return {
      calls: r.calls,
      seconds: round(r.calls / RATE, 1),
      route: r.route,
      ...(minimum ? { minimum, callsOverMinimum: round(r.calls / minimum, 3) } : {}),
      byOperation: r.byOperation,
    };
  };
  const drift = await read({ read: 'drift' }, fullMinimum);
  const prRepo = new Set(org.prGroups);
  const check = await read(
    { read: 'check', principals: principalsOf(org, prRepo) },
    sum(Object.values(minimumCalls(org, d, 'check', prRepo).byOperation)),
  );
  const everything = await read({ read: 'check', principals: principalsOf(org) }, fullMinimum);
  const scoped = async (scope) => ({
    scope: {
      groups: scope.groups.length,
      permissionSets: scope.permissionSets.length,
      members: scope.members?.length ?? scope.groups.length,
    },
    ...(await read({ read: 'check', principals: principalsOf(org), scope })),
  });
  const grants = pullRequest(org);
  const pr = {
    grants: await scoped(grants),
    newSets: await scoped(pullRequest(org, 25, { newSets: true })),
    withMembers: await scoped({ ...grants, members: undefined }),
  };
  const naive = naiveLearning(org, d);
  const learning = learningCalls(drift.byOperation);
  const { assignmentsByPair: _p, assignmentsByGroup: _g, accountsBySet: _s, ...counts } = d;
  return {
    size,
    note: 'src/live/reader.ts run on the generated data in memory (scripts/bench-model.js), not against the server',
    counts,
    fullReadMinimum: fullMinimum,
    drift,
    check,
    checkEverything: everything,
    pullRequest: pr,
    naive: {
      calls: naive + 1,
      seconds: round((naive + 1) / RATE, 1),
      learningRatio: round(naive / learning, 1),
    },
    targets: {
      pullRequest25GroupsAtMost300: pr.grants.calls <= 300,
      checkEverythingWithin5PercentOfFullRead: everything.calls <= 1.05 * fullMinimum,
    },
  };
}

/** Debian's awscli (/usr/bin/aws) when installed, else the first `aws` on PATH; undefined without one. */
function findAwsCli() {
  for (const candidate of ['/usr/bin/aws', 'aws']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0)
      return { path: candidate, version: (probe.stdout || probe.stderr).trim().split(' ')[0] };
  }
  return undefined;
}

/** Pairs the naive run covers: all of them up to NAIVE_MAX_PAIRS, else an even sample of that many. */
const NAIVE_MAX_PAIRS = 400;
/** AWS CLI processes at once (each is a Python start; the machine has two cores). */
const NAIVE_PROCESSES = 6;

/**
 * What common drift scripts do, with a real client: `aws sso-admin list-account-assignments` for every
 * account × permission set (the CLI follows NextToken itself), against the same server at the same 20/s,
 * with the CLI's default retries. Larger organisations run an even sample of the pairs: every call is one
 * pair's listing, so the calls for all pairs are the sample's calls per pair × pairs (checked against the
 * model), and the time is at least calls ÷ 20/s.
 */
async function runNaiveAwsCli(org, d, instance, server, log) {
  const cli = findAwsCli();
  if (!cli) {
    log("bench: naive reader skipped: no AWS CLI (install Debian's: apt-get install awscli)");
    return { skipped: 'no AWS CLI (apt-get install awscli)' };
  }
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^AWS_/.test(name)) delete env[name];
  Object.assign(env, {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  });
  const aws = (args) =>
    new Promise((resolve) => {
      // --endpoint-url: Debian's awscli (2.9) predates AWS_ENDPOINT_URL.
      const child = spawn(cli.path, [...args, '--endpoint-url', server.endpoint, '--output', 'json'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = [];
      const err = [];
      child.stdout.on('data', (c) => out.push(c));
      child.stderr.on('data', (c) => err.push(c));
      child.on('close', (code) =>
        resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
      );
    });
  await server.setTps(RATE);
  await server.resetCalls();
  const t0 = performance.now();
  const listed = await aws(['sso-admin', 'list-permission-sets', '--instance-arn', instance.instanceArn]);
  if (listed.code !== 0)
    return { skipped: `list-permission-sets failed: ${listed.stderr.trim().split('\n').at(-1)}` };
  const arns = JSON.parse(listed.stdout).PermissionSets ?? [];
  const pairs = org.accounts.flatMap((a) => arns.map((arn) => [a.id, arn]));
  const step = Math.max(1, Math.ceil(pairs.length / NAIVE_MAX_PAIRS));
  const sample = pairs.filter((_, i) => i % step === 0);
  process.stdout.write(
    `bench: live ${org.size} naive: aws ${cli.version}, ${sample.length} of ${pairs.length} pairs `,
  );
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < sample.length) {
      const [account, arn] = sample[next++];
      const r = await aws([
        'sso-admin',
        'list-account-assignments',
        '--instance-arn',
        instance.instanceArn,
        '--account-id',
        account,
        '--permission-set-arn',
        arn,
      ]);
      if (r.code !== 0) failed += 1;
      if (next % 50 === 0) process.stdout.write('.');
    }
  };
  await Promise.all(Array.from({ length: NAIVE_PROCESSES }, worker));
  const wallS = (performance.now() - t0) / 1000;
  const calls = await server.calls();
  const pairCalls = calls.byOperation.ListAccountAssignments ?? 0;
  const perPair = pairCalls / sample.length;
  const allCalls = Math.round(perPair * pairs.length) + (calls.byOperation.ListPermissionSets ?? 0);
  process.stdout.write(` ${round(wallS, 1)} s\n`);
  return {
    client: `${cli.path} (${cli.version})`,
    command: 'aws sso-admin list-account-assignments --account-id A --permission-set-arn P, for every pair',
    processes: NAIVE_PROCESSES,
    pairs: pairs.length,
    pairsRun: sample.length,
    sampled: sample.length < pairs.length,
    callsRun: calls.total,
    callsPerPair: round(perPair, 3),
    calls: allCalls,
    modelCalls: naiveLearning(org, d) + 1,
    wallSRun: round(wallS, 1),
    wallS: round(Math.max((wallS * pairs.length) / sample.length, allCalls / RATE), 1),
    throttledByServer: calls.throttled,
    errorsSurfacing: failed,
  };
}

/** The figures of one measured run, and what is wrong with it (drift findings, tool errors, throttles, …). */
function measure(org, d, mode, declared, decl, root, run, offline, serverCalls, plan) {
  const problems = [];
  const report = run.report;
  // Identity Center's operations (the 20/s limit, the server's count, the minimum) apart from the other
  // services' (`organizations:…`, `access-analyzer:…`), which have quotas of their own.
  const all = Object.entries(report.stats.apiCallsByOperation ?? {});
  const byOperation = sortKeys(Object.fromEntries(all.filter(([op]) => !op.includes(':'))));
  const otherServices = sortKeys(Object.fromEntries(all.filter(([op]) => op.includes(':'))));
  const calls = sum(Object.values(byOperation));
  const min = minimumCalls(org, d, mode, declared);
  const planned = sum(Object.values(plan));
  const minimum = sum(Object.values(min.byOperation));
  const findingsByRule = countBy(report.findings.map((f) => f.ruleId));

  if (run.code !== 0) problems.push(`the check exited with ${run.code}: ${run.stderr.trim().slice(0, 300)}`);
  for (const [rule, n] of Object.entries(findingsByRule))
    problems.push(`${n} ${rule} finding(s), expected none`);
  for (const e of report.errors ?? []) problems.push(`tool error: ${e.message.slice(0, 300)}`);
  if (Object.keys(findingsByRule).length || report.errors?.length)
    for (const f of report.findings.slice(0, 5))
      problems.push(`  e.g. ${f.ruleId} ${f.file}:${f.line} ${f.message.slice(0, 200)}`);
  if (offline.report.findings.length || offline.report.errors.length)
    problems.push(`the offline check of ${relative(ROOT, root)} is not clean`);
  const throttleErrors = (report.errors ?? []).filter((e) => /thrott|rate exceeded/i.test(e.message)).length;
  if (serverCalls.total !== calls)
    problems.push(`the server counted ${serverCalls.total} calls, the report ${calls}`);
  // Calls beyond the model: retries of throttled or faulted attempts (every attempt is counted), or calls the
  // model does not know of (a problem: the model or the reader is wrong).
  const beyondModel = {};
  for (const op of new Set([...Object.keys(plan), ...Object.keys(byOperation)])) {
    const diff = (byOperation[op] ?? 0) - (plan[op] ?? 0);
    if (diff !== 0) beyondModel[op] = diff;
  }
  const retried = serverCalls.throttled + serverCalls.faulted;
  // A listing that found every wanted item early makes fewer calls than modelled: not a problem.
  if (mode === 'check') for (const op of AT_MOST) if (beyondModel[op] < 0) delete beyondModel[op];
  const beyond = sum(Object.values(beyondModel));
  if (Object.values(beyondModel).some((n) => n < 0) || beyond !== retried) {
    for (const op of Object.keys(beyondModel))
      problems.push(`${op}: ${byOperation[op] ?? 0} calls, the model of the reader expects ${plan[op] ?? 0}`);
    if (retried)
      problems.push(`(the server throttled ${serverCalls.throttled} and faulted ${serverCalls.faulted})`);
  }

  const floorS = calls / RATE;
  const wallS = run.wallMs / 1000;
  const readS = Math.max(0, (run.wallMs - offline.wallMs) / 1000);
  const learning = learningCalls(byOperation);
  const naive = naiveLearning(org, d);
  const naiveWhole = calls - learning + naive;
  return {
    root: relative(ROOT, root),
    declared: {
      groups: decl.groups,
      users: decl.users,
      permissionSets: org.permissionSets.length,
      files: decl.files,
    },
    calls,
    byOperation,
    otherServices,
    server: serverCalls,
    wallS: round(wallS, 1),
    offlineS: round(offline.wallMs / 1000, 2),
    readS: round(readS, 1),
    floorS: round(floorS, 1),
    wallOverFloor: round(wallS / floorS, 3),
    readOverFloor: round(readS / floorS, 3),
    reader: {
      calls: planned,
      byOperation: plan,
      note: 'src/live/reader.ts itself, run on this data in memory (scripts/bench-model.js)',
    },
    beyondModel: sortKeys(beyondModel),
    minimum,
    minimumByOperation: min.byOperation,
    minimumChoices: min.choices,
    callsOverMinimum: round(calls / minimum, 3),
    // No rule reads a permission set's tags (IDC107 does not compare them; snapshot and init do use them).
    minimumWithoutTags: minimum - (min.byOperation.ListTagsForResource ?? 0),
    learning: {
      operations: LEARNING.filter((op) => byOperation[op]),
      ours: learning,
      naive,
      ratio: round(naive / learning, 2),
    },
    wholeRun: { ours: calls, naive: naiveWhole, ratio: round(naiveWhole / calls, 2) },
    throttled: serverCalls.throttled,
    throttleErrorsSurfacing: throttleErrors,
    findingsByRule,
    errors: (report.errors ?? []).map((e) => e.message),
    targets: {
      callsWithin5PercentOfMinimum: calls <= 1.05 * minimum,
      wallWithin10PercentOfFloor: wallS <= 1.1 * floorS,
      readWithin10PercentOfFloor: readS <= 1.1 * floorS,
      noThrottlingSurfacing: throttleErrors === 0,
      // Issue 8 sets this target at M: at S the naive reader has only 200 pairs to list.
      learning8xFewerThanNaive: org.size === 'S' ? null : naive / learning >= 8,
    },
    problems,
  };
}

// ------------------------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------------------------

const SHORT = {
  ListAccountsForProvisionedPermissionSet: 'ListAccountsForProvisionedPS',
  ListCustomerManagedPolicyReferencesInPermissionSet: 'ListCustomerManagedPolicyRefs',
  ListManagedPoliciesInPermissionSet: 'ListManagedPolicies',
  GetPermissionsBoundaryForPermissionSet: 'GetPermissionsBoundary',
  GetInlinePolicyForPermissionSet: 'GetInlinePolicy',
};

/** Prints the live table of each size, then what the figures mean against issue 8's targets. */
export function printLive(live, log = console.log) {
  const mark = (ok) => (ok === null ? 'n/a' : ok ? 'PASS' : 'FAIL');
  const L = live.modelled;
  if (L) {
    const c = L.counts;
    log(
      `live read, ${L.size} (${L.note}): ${num(c.accounts)} accounts, ${num(c.permissionSets)} permission sets, ` +
        `${num(c.groups)} groups, ${num(c.users)} users, ${num(c.assignmentTuples)} assignments, ` +
        `${num(c.provisionedPairs)} of ${num(c.allPairs)} pairs provisioned`,
    );
    const p = L.pullRequest;
    log(
      `  drift ${num(L.drift.calls)} calls (${L.drift.seconds} s at ${live.rate}/s; full-read minimum ${num(L.fullReadMinimum)}, tags included), ` +
        `check of a repository declaring ${c.prGroups ?? 25} groups ${num(L.check.calls)} calls (minimum ${num(L.check.minimum)}), ` +
        `naive every account × set ${num(L.naive.calls)} calls (${L.naive.seconds} s; ${L.naive.learningRatio}× our assignment learning)`,
    );
    log(
      `  check declaring everything: ${num(L.checkEverything.calls)} calls (${L.checkEverything.route} route), ` +
        `${L.checkEverything.callsOverMinimum}× the full-read minimum ${mark(L.targets.checkEverythingWithin5PercentOfFullRead)}`,
    );
    log(
      `  PR changing the grants of ${p.grants.scope.groups} groups (${p.grants.scope.permissionSets} sets): ${num(p.grants.calls)} calls ` +
        `${mark(L.targets.pullRequest25GroupsAtMost300)} (≤ 300); granting sets they do not hold: ${num(p.newSets.calls)}; ` +
        `with the members' attributes: ${num(p.withMembers.calls)}`,
    );
  }
  for (const [size, r] of Object.entries(live.sizes)) {
    const c = r.counts;
    const { drift, check } = r.modes;
    const both = [
      ['drift', drift],
      ['check', check],
    ];
    log('');
    log(
      `live read, ${size}: ${c.accounts} accounts, ${c.permissionSets} permission sets, ${c.groups} groups, ` +
        `${c.users} users, ${c.memberships} memberships, ${c.assignmentTuples} assignments; ${c.provisionedPairs} ` +
        `of ${c.allPairs} pairs provisioned (${(c.pairDensity * 100).toFixed(1)}%); server at ${live.rate}/s; ` +
        `seeded in ${r.seeding.seconds} s`,
    );
    log(
      `drift: ${drift.root} declares everything; PR check (--mode check): ${check.root} declares ` +
        `${check.declared.groups} groups, ${check.declared.users} users, ${check.declared.permissionSets} permission sets`,
    );
    const ops = [
      ...new Set(
        both.flatMap(([, m]) => [...Object.keys(m.byOperation), ...Object.keys(m.minimumByOperation)]),
      ),
    ].sort();
    const rows = [['calls by operation', 'drift', 'min', 'check', 'min'], '-'];
    for (const op of ops) {
      rows.push([
        SHORT[op] ?? op,
        num(drift.byOperation[op]),
        num(drift.minimumByOperation[op]),
        num(check.byOperation[op]),
        num(check.minimumByOperation[op]),
      ]);
    }
    const line = (label, f) => rows.push([label, f(drift), '', f(check), '']);
    rows.push('-');
    rows.push(['total calls', num(drift.calls), num(drift.minimum), num(check.calls), num(check.minimum)]);
    line('  counted by the server', (m) => num(m.server.total));
    line('calls ÷ minimum', (m) => m.callsOverMinimum.toFixed(2));
    line('wall s (spawn to exit)', (m) => m.wallS.toFixed(1));
    line('  the same check offline s', (m) => m.offlineS.toFixed(1));
    line(`floor s = calls ÷ ${live.rate}/s`, (m) => m.floorS.toFixed(1));
    line('wall ÷ floor', (m) => m.wallOverFloor.toFixed(3));
    line('(wall − offline) ÷ floor', (m) => m.readOverFloor.toFixed(3));
    line('throttled (server)', (m) => num(m.throttled));
    line('  surfacing as errors', (m) => num(m.throttleErrorsSurfacing));
    line('faulted (server)', (m) => num(m.server.faulted));
    line('learning assignments: ours', (m) => num(m.learning.ours));
    line('  naive: every account × set', (m) => num(m.learning.naive));
    line('  naive ÷ ours', (m) => `${m.learning.ratio.toFixed(1)}×`);
    line('whole run: naive', (m) => num(m.wholeRun.naive));
    line('  naive ÷ ours', (m) => `${m.wholeRun.ratio.toFixed(1)}×`);
    line('findings / tool errors', (m) => `${sum(Object.values(m.findingsByRule))} / ${m.errors.length}`);
    const cells = rows.filter((row) => row !== '-');
    const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    for (const row of rows) {
      if (row === '-') log(widths.map((w) => '-'.repeat(w)).join('  '));
      else
        log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    }

    log('');
    for (const [mode, m] of both) for (const choice of m.minimumChoices) log(`minimum (${mode}): ${choice}`);
    log(
      `minimum without ListTagsForResource (no rule reads tags; snapshot and init do): ` +
        `drift ${drift.minimumWithoutTags}, check ${check.minimumWithoutTags}`,
    );
    const n = r.naiveCli;
    if (n?.skipped) log(`naive AWS CLI reader: skipped (${n.skipped})`);
    else if (n)
      log(
        `naive AWS CLI reader (${n.client}, ${n.processes} processes): list-account-assignments for every account × ` +
          `permission set: ${num(n.calls)} calls (${n.pairs} pairs${n.sampled ? `; ${n.pairsRun} run, the rest extrapolated` : ''}), ` +
          `${n.wallS} s, ${n.errorsSurfacing} errors surfacing, ${n.throttledByServer} throttled by the server; ` +
          `drift reads everything in ${num(drift.calls)} calls (${(n.calls / drift.calls).toFixed(1)}× fewer), ${drift.wallS} s`,
      );
    for (const [mode, m] of both) {
      const other = Object.entries(m.otherServices ?? {});
      if (other.length)
        log(
          `${mode}: other services (own quotas, not in the counts above): ${other.map(([op, c]) => `${op} ${c}`).join(', ')}`,
        );
    }
    const w = r.modelled.checkWholeRepository;
    log(
      `check of the whole repository (${w.declaredGroups} groups declared; the reader in memory, not run live): ${w.calls} calls ` +
        `(${w.route} route, ${w.seconds} s at ${live.rate}/s), full-read minimum ${w.minimum} (${w.callsOverMinimum.toFixed(2)}×); ` +
        `drift reads everything in ${drift.calls}`,
    );
    const pr = r.pullRequest;
    if (pr)
      log(
        `PR changing the grants of ${pr.scope.groups} groups (${pr.scope.permissionSets} sets; scoped read, measured at ${live.rate}/s): ` +
          `${pr.calls} calls in ${pr.wallS} s (floor ${pr.floorS} s), ${pr.throttled} throttled; in memory ${pr.inMemory}`,
      );
    for (const [mode, m] of both) {
      const extra = Object.entries(m.beyondModel);
      if (extra.length === 0 || m.problems.length > 0) continue;
      log(
        `${mode}: ${m.throttled} attempt(s) throttled by the server, retried by the SDK, invisible in the report: ` +
          `${extra.map(([op, n]) => `${op} +${n}`).join(', ')}; at ` +
          `${m.throttledAt.map((x) => `${x.s} s (${x.calls} calls in)`).join(', ') || '?'}`,
      );
    }
    for (const [mode, m] of both) {
      const t = m.targets;
      log(
        `targets (${mode}): calls ≤ 1.05 × minimum ${mark(t.callsWithin5PercentOfMinimum)}   ` +
          `wall ≤ 1.1 × floor ${mark(t.wallWithin10PercentOfFloor)}   ` +
          `no throttling surfacing ${mark(t.noThrottlingSurfacing)}   ` +
          `learning ≥ 8× fewer than naive ${mark(t.learning8xFewerThanNaive)}`,
      );
    }
    for (const p of r.problems) log(`problem: ${p}`);
  }
}

// ------------------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------------------

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** A double-quoted YAML scalar (JSON's escaping is valid YAML). */
function q(s) {
  return JSON.stringify(s);
}

function chunks(xs, n) {
  const out = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function countBy(xs) {
  const out = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return sortKeys(out);
}

function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function num(n) {
  return n === undefined ? '' : n.toLocaleString('en-US');
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// ------------------------------------------------------------------------------------------------------------
// Standalone
// ------------------------------------------------------------------------------------------------------------

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { sizes: { type: 'string', default: 'S,M' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(
      'usage: node scripts/bench-live.js [--sizes M] (npm run bench runs it too, and writes results.json)',
    );
    process.exit(0);
  }
  try {
    const live = await runLiveBench({ sizes: values.sizes.split(',').map((s) => s.trim().toUpperCase()) });
    printLive(live);
    process.exit(Object.values(live.sizes).some((r) => r.problems.length) ? 1 : 0);
  } catch (error) {
    console.error(`bench: ${error instanceof LiveBenchError ? error.message : error.stack}`);
    process.exit(2);
  }
}
