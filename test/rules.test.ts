import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../src/findings/types.js';
import { check, FIXTURES, where } from './helpers.js';
import { at, PERMISSION_SET_CASES, type Case, type Expected } from './rule-cases.js';

/**
 * Per-rule fixtures for the static rules, tflint style: test/fixtures/rules/<rule>/<fixture>/ is a tiny
 * repository root. A `fail*` fixture produces exactly the listed findings of its rule; a `pass*` fixture
 * produces no findings at all. Every YAML fixture file says on its first line what it demonstrates.
 */

const RULES = join(FIXTURES, 'rules');

const CASES: Case[] = [
  {
    rule: 'IDC001',
    fixture: 'fail',
    expected: [
      at('IDC001', 'assignments.yaml', 6, 16, 'assignments[0].accounts[0] "12345678901" is not valid'),
      at('IDC001', 'assignments.yaml', 6, 31, 'accounts[1] must be a string, not number "333333333333"'),
      at('IDC001', 'broken.json', 1, 33, 'invalid JSON: '),
      at('IDC001', 'documents.yaml', 4, 12, 'invalid YAML: bad indentation of a mapping entry'),
      at('IDC001', 'documents.yaml', 9, 5, 'invalid YAML: duplicated mapping key'),
      at('IDC001', 'documents.yaml', 11, 7, 'unknown kind "Group" (did you mean Groups?)'),
      at('IDC001', 'documents.yaml', 14, 1, 'this YAML document has no `kind`'),
      at(
        'IDC001',
        'documents.yaml',
        19,
        5,
        'unknown property "descripton" in groups[0] (did you mean description?)',
      ),
      at('IDC001', 'documents.yaml', 24, 5, 'unknown property "__proto__" in groups[0]'),
      at('IDC001', 'instance.yaml', 6, 10, 'accounts.audit must be a string, not number "12345678901"'),
      at('IDC001', 'instance.yaml', 7, 8, 'accounts.dev "22222222222" is not valid'),
      at('IDC001', 'permission-set.yaml', 3, 7, 'name "AdministratorAccessForEveryone-XL" is not valid'),
      at('IDC001', 'permission-set.yaml', 4, 18, 'sessionDuration "PT13H" is not valid'),
      at('IDC001', 'suppressions.yaml', 6, 23, 'idc-guard-ignore IDC005 has no reason, so it is not applied'),
      at('IDC001', 'suppressions.yaml', 7, 17, 'idc-guard-ignore names no rule'),
    ],
    // The suppression without a reason is not applied, so the nested group it was meant to silence is reported.
    others: [at('IDC005', 'suppressions.yaml', 6, 16, 'group "inner" is nested in "outer"')],
  },
  {
    rule: 'IDC001',
    fixture: 'fail-managed-elsewhere',
    expected: [
      at('IDC001', 'managed.yaml', 5, 1, 'sessionDuration is not allowed with managedBy'),
      at('IDC001', 'managed.yaml', 6, 1, 'managedPolicies is not allowed with managedBy'),
      at('IDC001', 'managed.yaml', 12, 5, 'groups[0].members is not allowed with managedBy'),
      at(
        'IDC001',
        'managed.yaml',
        15,
        16,
        'groups[1].managedBy is "terraform"; expected one of controltower, external',
      ),
    ],
  },
  { rule: 'IDC001', fixture: 'pass', expected: [] },
  {
    rule: 'IDC002',
    fixture: 'fail',
    expected: [
      at('IDC002', 'assignments.yaml', 4, 12, 'group "platfrom" is assigned but not declared'),
      at('IDC002', 'assignments.yaml', 7, 11, 'user "bob@example.com" is assigned but not declared'),
      at('IDC002', 'assignments.yaml', 11, 20, 'permission set "ReadOnlyAccess" is not declared'),
      at('IDC002', 'assignments.yaml', 15, 22, 'account alias "staging" is not declared'),
      at('IDC002', 'directory.yaml', 6, 34, 'lists member "ghost@example.com", who is not declared'),
    ],
  },
  {
    // An entry that breaks its schema in one field is still checked in its others (issue #15, item 9).
    rule: 'IDC002',
    fixture: 'fail-schema-errors',
    expected: [
      at('IDC002', 'assignments.yaml', 4, 12, 'group "platfrom" is assigned but not declared'),
      at('IDC002', 'assignments.yaml', 7, 12, 'group "data-team" is assigned but not declared'),
      at('IDC002', 'assignments.yaml', 9, 22, 'account alias "staging" is not declared'),
    ],
    // Each rejected value is reported once, by IDC001; the over-long name with the declared one it is near.
    others: [
      at('IDC001', 'assignments.yaml', 6, 16, 'assignments[0].accounts[0] "11111111111" is not valid'),
      at(
        'IDC001',
        'assignments.yaml',
        8,
        20,
        'is not valid: a permission set name is 1 to 32 characters of letters, digits and + = , . @ _ -; did you mean "AdministratorAccess-Production"?',
      ),
      at('IDC001', 'assignments.yaml', 10, 5, 'assignments[2] is missing the required property'),
    ],
  },
  { rule: 'IDC002', fixture: 'pass', expected: [] },
  {
    rule: 'IDC003',
    fixture: 'fail',
    expected: [
      at('IDC003', 'entra-app.yaml', 9, 7, 'group "Auditors" differs only in case from "auditors"'),
      at(
        'IDC003',
        'groups-b.yaml',
        5,
        5,
        'group "platform-admins" differs only in case from "Platform-Admins" (first in identity/groups-a.yaml)',
      ),
    ],
  },
  { rule: 'IDC003', fixture: 'pass', expected: [] },
  {
    rule: 'IDC004',
    fixture: 'fail',
    expected: [
      at('IDC004', 'users.yaml', 9, 15, 'userName "Alice@Example.com" is used by two users'),
      at('IDC004', 'users.yaml', 18, 12, 'email "ALICE@example.COM" is used by two users'),
    ],
  },
  { rule: 'IDC004', fixture: 'pass', expected: [] },
  {
    rule: 'IDC005',
    fixture: 'fail',
    expected: [
      at('IDC005', 'groups.yaml', 8, 11, 'group "platform-oncall" is nested in "platform-admins"'),
      at('IDC005', 'groups.yaml', 14, 16, 'group "platform-admins" is nested in "everyone"'),
      at('IDC005', 'groups.yaml', 14, 33, 'group "platform-oncall" is nested in "everyone"'),
    ],
  },
  { rule: 'IDC005', fixture: 'pass', expected: [] },
  {
    rule: 'IDC006',
    fixture: 'fail',
    // A missing attribute has no line of its own: it is reported at the `mappings:` key.
    expected: [
      at('IDC006', 'groups-mapping.yaml', 5, 1, 'no mapping supplies the SCIM attribute `displayName`'),
      at('IDC006', 'users-mapping.yaml', 4, 1, 'no mapping supplies the SCIM attribute `userName`'),
      at('IDC006', 'users-mapping.yaml', 4, 1, 'no mapping supplies the SCIM attribute `name.givenName`'),
      at('IDC006', 'users-mapping.yaml', 4, 1, 'no mapping supplies the SCIM attribute `name.familyName`'),
      at(
        'IDC006',
        'users-mapping.yaml',
        4,
        1,
        'no mapping supplies the SCIM attribute `emails[type eq "work"].value`',
      ),
      // The empty constant is a mapping that supplies nothing: the finding points at it.
      at('IDC006', 'users-mapping.yaml', 6, 5, 'this mapping maps an empty constant onto `displayName`'),
    ],
  },
  { rule: 'IDC006', fixture: 'pass', expected: [] },
  {
    rule: 'IDC007',
    fixture: 'fail',
    expected: [
      at(
        'IDC007',
        'mapping.yaml',
        10,
        5,
        'a second value of `emails` is mapped ("emails[type eq "home"].value")',
      ),
      at(
        'IDC007',
        'mapping.yaml',
        11,
        5,
        '"displayName" is mapped twice (from "displayName" and "mailNickname")',
      ),
      at('IDC007', 'mapping.yaml', 13, 5, 'is mapped ("phoneNumbers[type eq "mobile"].value")'),
      at('IDC007', 'mapping.yaml', 14, 5, 'the SCIM attribute "password" is not supported'),
      at('IDC007', 'mapping.yaml', 15, 5, 'the SCIM attribute "x509Certificates" is not supported'),
      at('IDC007', 'mapping.yaml', 16, 5, 'the SCIM attribute "groups" is not supported'),
    ],
  },
  { rule: 'IDC007', fixture: 'pass', expected: [] },
  {
    rule: 'IDC008',
    fixture: 'fail',
    expected: [
      at(
        'IDC008',
        'instance.yaml',
        6,
        13,
        'is not of the form https://scim.<region>.amazonaws.com/<tenant>/scim/v2',
      ),
    ],
  },
  {
    rule: 'IDC008',
    fixture: 'fail-region',
    expected: [
      at('IDC008', 'instance.yaml', 6, 13, 'SCIM endpoint is in eu-west-1 but the instance is in us-east-1'),
    ],
  },
  { rule: 'IDC008', fixture: 'pass', expected: [] },
  { rule: 'IDC008', fixture: 'pass-slash', expected: [] },
  {
    rule: 'IDC009',
    fixture: 'fail',
    expected: [at('IDC009', 'instance.yaml', 6, 17, 'the SCIM access token expired on 2026-11-01', 'error')],
  },
  {
    rule: 'IDC009',
    fixture: 'fail-soon',
    expected: [
      at(
        'IDC009',
        'instance.yaml',
        6,
        17,
        'the SCIM access token expires on 2026-12-23, in 30 days',
        'warning',
      ),
    ],
  },
  { rule: 'IDC009', fixture: 'pass', expected: [] },
  {
    rule: 'IDC010',
    fixture: 'fail',
    // Reported once, at the first assignment of the group; the manual group "auditors" is exempt.
    expected: [
      at(
        'IDC010',
        'assignments.yaml',
        7,
        12,
        'group "developers" is assigned here but is not assigned to the IdP app',
      ),
    ],
  },
  { rule: 'IDC010', fixture: 'pass', expected: [] },
  { rule: 'IDC010', fixture: 'pass-in-scope', expected: [] },
  {
    rule: 'IDC011',
    fixture: 'fail',
    expected: [
      at(
        'IDC011',
        'users.yaml',
        4,
        5,
        'user "carol@example.com": missing familyName. Identity Center requires',
      ),
      at(
        'IDC011',
        'users.yaml',
        8,
        15,
        'user "bob smith@example.com": userName "bob smith@example.com" does not match /^\\S+$/.',
      ),
      at('IDC011', 'users.yaml', 13, 15, ': userName is longer than 128 characters.'),
    ],
  },
  { rule: 'IDC011', fixture: 'pass', expected: [] },
  ...PERMISSION_SET_CASES,
];

/** What a test compares: `where()` plus column, severity and message. */
function described(findings: Finding[]) {
  const lines = where(findings);
  return findings.map((f, i) => ({
    ...lines[i],
    column: f.column,
    severity: f.severity,
    message: f.message,
  }));
}

function matching(expected: Expected[]) {
  return expected.map(({ ruleId, file, line, column, severity, message }) => ({
    ruleId,
    file,
    line,
    column,
    severity: severity ?? 'error',
    message: expect.stringContaining(message),
  }));
}

describe.each(CASES)('$rule $fixture', ({ rule, fixture, expected, others = [] }) => {
  it(
    expected.length === 0 ? 'produces no findings' : `produces exactly ${expected.length} ${rule} finding(s)`,
    async () => {
      const { report } = await check(join(RULES, rule, fixture));
      expect(report.errors).toEqual([]);
      expect(report.notices).toEqual([]);
      const own = report.findings.filter((f) => f.ruleId === rule);
      const rest = report.findings.filter((f) => f.ruleId !== rule);
      // Lines first, so a failure reads as a short diff; then the details.
      expect(where(own)).toEqual(expected.map(({ ruleId, file, line }) => ({ ruleId, file, line })));
      expect(described(own)).toEqual(matching(expected));
      expect(described(rest)).toEqual(matching(others));
      expect(report.findings.filter((f) => f.suppressed)).toEqual([]);
    },
  );
});

describe('rule fixtures', () => {
  it('has a table entry for every fixture directory, and a pass and a fail fixture for every static rule', () => {
    const onDisk = readdirSync(RULES).flatMap((rule) =>
      readdirSync(join(RULES, rule)).map((f) => `${rule}/${f}`),
    );
    expect(onDisk.sort()).toEqual(CASES.map((c) => `${c.rule}/${c.fixture}`).sort());
    for (let n = 1; n <= 12; n++) {
      const rule = `IDC${String(n).padStart(3, '0')}`;
      expect(CASES.filter((c) => c.rule === rule).map((c) => c.fixture)).toEqual(
        expect.arrayContaining(['fail', 'pass']),
      );
    }
  });

  it("keeps the fixtures' __proto__ key from polluting Object.prototype", async () => {
    await check(join(RULES, 'IDC001', 'fail'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
