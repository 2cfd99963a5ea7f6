/**
 * The attacker's end-to-end suite (see test/attacks/helpers.ts): live state: live reads that the head
 * switches off, and member names on a public repository.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedOrganisation, scimIds, seedUser, type SeedSpec } from './aws/seed.js';
import { startIdcServer, type IdcServer } from './aws/server.js';
import { useFakeGitHub } from './github/fake-github.js';
import {
  TEST_TIMEOUT_MS,
  INSTANCE_ARN,
  IDENTITY_STORE_ID,
  instanceYaml,
  GROUPS,
  ASSIGNMENTS,
  github,
  type Outcome,
  attack,
  counted,
  plain,
  outside,
} from './attacks/helpers.js';

useFakeGitHub(github);

describe('3. live reads switched off by the head (local Identity Center)', () => {
  let server: IdcServer;
  beforeAll(async () => {
    server = await startIdcServer();
  }, 30_000);
  afterAll(() => server?.stop());

  /** Identity Center as the base declares it: the two groups, their members, the permission sets, the grants. */
  const agreeing: SeedSpec = {
    users: ['alice', 'bob'].map(seedUser),
    groups: [
      {
        name: 'aws-admins-platform',
        description: 'Platform administrators',
        externalIds: scimIds('g-1'),
        members: ['alice@example.com'],
      },
      {
        name: 'developers',
        description: 'Application developers',
        externalIds: scimIds('g-2'),
        members: ['bob@example.com'],
      },
    ],
    permissionSets: [
      {
        name: 'AdministratorAccess',
        description: 'Full administrator',
        sessionDuration: 'PT1H',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
      {
        name: 'ReadOnly',
        description: 'Read-only access',
        sessionDuration: 'PT4H',
        managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      },
    ],
    assignments: [
      {
        group: 'aws-admins-platform',
        permissionSet: 'AdministratorAccess',
        accounts: ['111111111111', '222222222222'],
      },
      { group: 'developers', permissionSet: 'ReadOnly', accounts: ['111111111111', '222222222222'] },
    ],
  };

  /** The base names the seeded instance; the head adds a group (which never arrived) and gives it ReadOnly in dev. */
  async function liveAttack(head: { deleteInstance: boolean }): Promise<Outcome> {
    await server.reset();
    const seeded = await seedOrganisation(server.endpoint, agreeing);
    const baseInstance = instanceYaml(seeded.instanceArn, seeded.identityStoreId);
    const baseGroups = GROUPS.replace(/ {2}- name: contractors\n.*\n/, '');
    return attack({
      base: { 'identity/instance.yaml': baseInstance, 'identity/groups.yaml': baseGroups },
      head: {
        'identity/instance.yaml': head.deleteInstance
          ? baseInstance.replace(/^(instanceArn|identityStoreId): .*\n/gm, '')
          : baseInstance,
        // `- name: contractors` is line 7.
        'identity/groups.yaml': `${baseGroups}  - name: contractors\n    description: External contractors\n`,
        'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: ReadOnly\n    accounts: [dev]\n`,
      },
      inputs: { live: 'auto' },
      env: server.env,
    });
  }

  function expectLiveRulesRan(o: Outcome): void {
    expect(o.run.status).toBe(1);
    expect(counted(o.run.report, 'IDC101')).toEqual([['IDC101', 'error', 'identity/groups.yaml', 7]]);
    expect(o.run.report!.stats.apiCalls).toBeGreaterThan(0);
    expect(o.comment).toMatch(/IDC101/);
    expect(o.comment).toMatch(/contractors/);
    expect(o.run.summary).toMatch(/IDC101/);
  }

  it(
    'control (passes today): with the instance kept, IDC101 fires for the group the PR assigns',
    async () => expectLiveRulesRan(await liveAttack({ deleteInstance: false })),
    TEST_TIMEOUT_MS,
  );

  it(
    "deleting instanceArn in the head does not turn off live rules: IDC101 for the group the PR assigns, from the base's instance",
    async () => expectLiveRulesRan(await liveAttack({ deleteInstance: true })),
    TEST_TIMEOUT_MS,
  );
});

describe('9. member names on a public repository', () => {
  it(
    "a PR declaring a live group the base does not declare gets its finding, but never the group's member names",
    async () => {
      const snapshotFolder = outside({});
      const snapshot = join(snapshotFolder, 'snapshot.json');
      writeFileSync(snapshot, JSON.stringify(liveSnapshot()));
      const o = await attack({
        private: false,
        head: {
          // `- name: finance-admins` is line 9, `users: [...]` line 12: declaring any member makes IDC110 compare.
          'identity/groups.yaml': `${GROUPS}  - name: finance-admins\n    description: Finance administrators\n    members:\n      users: [mallory@example.com]\n`,
        },
        inputs: { live: snapshot },
      });
      const idc110 = counted(o.run.report, 'IDC110');
      expect(idc110).toEqual([['IDC110', 'warning', 'identity/groups.yaml', 12]]);
      expect(o.comment).toMatch(/IDC110/);
      expect(o.comment).toMatch(/finance-admins/);
      for (const [where, text] of [
        ['comment', o.comment],
        ['summary', o.run.summary],
        [
          'annotations',
          o.run.stdout
            .split('\n')
            .filter((l) => l.startsWith('::'))
            .join('\n'),
        ],
      ]) {
        expect({
          where,
          leaks: /\bceo\b|Chief Executive/i.test(plain(text)),
        }).toEqual({
          where,
          leaks: false,
        });
      }
    },
    TEST_TIMEOUT_MS,
  );
});

/** Live state that agrees with the base, plus a group the base does not declare: finance-admins, with the CEO. */
function liveSnapshot(): object {
  const issuer = 'https://scim.us-east-1.amazonaws.com/tenant/scim/v2';
  const user = (id: string, userName: string, displayName: string) => ({
    userId: id,
    userName,
    displayName,
    givenName: displayName.split(' ')[0],
    familyName: displayName.split(' ').slice(1).join(' ') || 'User',
    email: userName,
    active: true,
    externalIds: [{ issuer, id: `x-${id}` }],
  });
  const group = (id: string, displayName: string, description: string, memberUserIds: string[]) => ({
    groupId: id,
    displayName,
    description,
    externalIds: [{ issuer, id: `x-${id}` }],
    memberUserIds,
  });
  const ps = (n: string, name: string, description: string, sessionDuration: string, policy: string) => ({
    arn: `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-000000000000000${n}`,
    name,
    description,
    sessionDuration,
    managedPolicies: [policy],
    customerManagedPolicies: [],
    tags: {},
    provisionedAccounts: [
      { accountId: '111111111111', current: true },
      { accountId: '222222222222', current: true },
    ],
  });
  const assignment = (accountId: string, n: string, principalId: string) => ({
    accountId,
    permissionSetArn: `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-000000000000000${n}`,
    principalType: 'GROUP',
    principalId,
  });
  return {
    version: 1,
    readAt: '2026-11-22T02:00:00.000Z',
    instance: { instanceArn: INSTANCE_ARN, identityStoreId: IDENTITY_STORE_ID, region: 'us-east-1' },
    groups: [
      group('g-1', 'aws-admins-platform', 'Platform administrators', ['u-1']),
      group('g-2', 'developers', 'Application developers', ['u-2']),
      group('g-3', 'contractors', 'External contractors', ['u-3']),
      group('g-4', 'finance-admins', 'Finance administrators', ['u-4']),
    ],
    users: [
      user('u-1', 'alice@example.com', 'Alice Liddell'),
      user('u-2', 'bob@example.com', 'Bob Builder'),
      user('u-3', 'carol@example.com', 'Carol Contractor'),
      user('u-4', 'ceo@example.com', 'Chief Executive'),
    ],
    permissionSets: [
      ps(
        '1',
        'AdministratorAccess',
        'Full administrator',
        'PT1H',
        'arn:aws:iam::aws:policy/AdministratorAccess',
      ),
      ps('2', 'ReadOnly', 'Read-only access', 'PT4H', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    ],
    assignments: [
      assignment('111111111111', '1', 'g-1'),
      assignment('222222222222', '1', 'g-1'),
      assignment('111111111111', '2', 'g-2'),
      assignment('222222222222', '2', 'g-2'),
    ],
    complete: { groups: true, users: true, memberships: true, permissionSets: true, assignments: 'all' },
    failures: [],
    apiCalls: {},
  };
}
