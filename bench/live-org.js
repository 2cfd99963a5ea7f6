// The organisation the live stage seeds into the local server (scripts/bench-live.js), and its counts.
import { declaredApplications, generateApplications } from './live-applications.js';
import { drawGroup, drawUser, generateAccounts, permissionSetNames } from './organisation.js';
import { randomDraws } from './random.js';
import {
  BASE_SETS,
  LIVE_ACTIONS,
  LIVE_DENY_ACTIONS,
  LIVE_MANAGED_POLICIES,
  LIVE_REGION as REGION,
  pad,
} from './vocabulary.js';

const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The organisations. `tuples` counts group × permission set × account; every group is SCIM-provisioned
 * (ExternalIds) with 5-20 members; every user has every attribute. `prGroups` is how many groups the PR-check
 * repository declares (with their members, their assignments and every permission set): a PR check of the
 * whole repository costs about as much as drift mode (modelled and printed), so the measured one is smaller.
 * M is issue 4's medium organisation (100 accounts, 40 permission sets, 500 groups, 2,000 assignments) with
 * issue 8's 5,000 users; 2,000 users would save 30 ListUsers pages (1.5 s) of the drift read and about 20 s of
 * seeding. S is issue 8's small one, for `--live-sizes S,M`. `applications`: the declared applications (an AWS
 * managed one nobody declares is added), `accessControlAttributes`: how many attributes for access control
 * (bench/live-applications.js); a spec without them has neither.
 */
export const LIVE_SIZES = {
  S: {
    accounts: 20,
    permissionSets: 10,
    groups: 50,
    users: 500,
    tuples: 500,
    prGroups: 10,
    applications: 3,
    accessControlAttributes: 3,
  },
  M: {
    accounts: 100,
    permissionSets: 40,
    groups: 500,
    users: 5_000,
    tuples: 2_000,
    prGroups: 25,
    applications: 12,
    accessControlAttributes: 4,
  },
};

/**
 * Issue 8's large organisation: too slow to seed into the server, so its reads are computed from the model.
 * 60 applications: ListApplications answers at most 50 a page, so its listing takes two.
 */
export const MODEL_SIZES = {
  L: {
    accounts: 1_000,
    permissionSets: 300,
    groups: 20_000,
    users: 50_000,
    tuples: 100_000,
    prGroups: 25,
    applications: 60,
    accessControlAttributes: 5,
  },
};

/**
 * The organisation of `size`, in memory, from a seeded PRNG (the same size and seed give the same data).
 *
 * How assignments are spread matters, since the reader lists assignments only for the provisioned (account,
 * permission set) pairs: each permission set has "home" accounts where it is used (a team's set: its team's
 * accounts and 1-5 others; an organisation-wide set: 20-60% of the accounts), and each assignment gives a
 * group one set in 1-4 of that set's home accounts. At M, 353 of the 4,000 pairs (8.8%) end up provisioned;
 * the design's worked example has 12.5% (3,000 of 24,000). The assignment-learning ratio against the naive reader
 * depends on this density alone, so it is printed with the results.
 */
export function generateLiveOrg(size, seed = 42) {
  // A spec object instead of a size's name: a test's own organisation, named "custom".
  const spec = typeof size === 'object' ? size : (LIVE_SIZES[size] ?? MODEL_SIZES[size]);
  if (!spec) throw new Error(`unknown live size ${size}; expected one of ${Object.keys(LIVE_SIZES)}`);
  if (typeof size === 'object') size = 'custom';
  const draw = randomDraws(seed);
  const { int, between, pick, chance, sample, hex } = draw;
  const accounts = generateAccounts(draw, spec.accounts);
  const permissionSets = permissionSetNames(draw, spec.permissionSets).map((name, i) => {
    const domain = name.split('-')[1];
    const ps = {
      name,
      description: domain
        ? `${name.split('-')[0]} access for the ${domain} team`
        : `${name} for the organisation`,
      sessionDuration: pick(['PT1H', 'PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT12H', 'PT1H30M']),
      managedPolicies: sample(LIVE_MANAGED_POLICIES.length, between(0, 3)).map(
        (k) => LIVE_MANAGED_POLICIES[k],
      ),
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
      const pool = deny ? LIVE_DENY_ACTIONS : LIVE_ACTIONS;
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
    const { given, family, userName } = drawUser(draw, seen);
    users.push({
      userName,
      displayName: `${given} ${family}`,
      givenName: given,
      familyName: family,
      externalId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    });
  }

  const groups = [];
  for (let i = 0; i < spec.groups; i++) {
    const { domain, role, name } = drawGroup(draw, i);
    groups.push({
      name,
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
  const prRand = randomDraws(seed + 1).rand;
  const assigned = [...new Set(entries.map((e) => e.group))].sort();
  const prGroups = new Set();
  while (prGroups.size < Math.min(spec.prGroups, assigned.length))
    prGroups.add(assigned[Math.floor(prRand() * assigned.length)]);

  // Last from the main stream, so that the rest of the organisation is the same with or without them.
  const { applications, accessControlAttributes } = generateApplications(draw, spec, {
    groups,
    assignedGroups: assigned,
    prGroups: [...prGroups].sort(),
  });

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
    applications,
    accessControlAttributes,
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
    applications: org.applications.length,
    declaredApplications: declaredApplications(org).length,
    applicationAssignments: org.applications.reduce((n, a) => n + a.groups.length + a.users.length, 0),
    accessControlAttributes: org.accessControlAttributes.length,
    assignmentsByPair,
    assignmentsByGroup,
    accountsBySet,
  };
}
