// The fixture tables of test/rules.test.ts: what each test/fixtures/rules/<rule>/<fixture>/ must produce.
// The shapes and `at` are shared; the cases of IDC012-IDC015 (permission sets and IAM policies) live here.
import type { Severity } from '../src/findings/types.js';

export interface Expected {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  /** The catalogue's default, `error`, unless given. */
  severity?: Severity;
  /** A part of the message that identifies the variant. */
  message: string;
}

export interface Case {
  rule: string;
  fixture: string;
  /** Exactly the findings of `rule`, in report order. Empty for a pass fixture. */
  expected: Expected[];
  /** Findings of other rules that the fixture inherently triggers (none unless given). */
  others?: Expected[];
}

export const at = (
  ruleId: string,
  file: string,
  line: number,
  column: number,
  message: string,
  severity?: Severity,
) => ({
  ruleId,
  file: `identity/${file}`,
  line,
  column,
  message,
  ...(severity ? { severity } : {}),
});

export const PERMISSION_SET_CASES: Case[] = [
  {
    rule: 'IDC012',
    fixture: 'fail',
    expected: [
      at(
        'IDC012',
        'inline.yaml',
        4,
        15,
        '"MissingInline": the inline policy "./policies/missing.json" cannot be used',
      ),
      at(
        'IDC012',
        'inline.yaml',
        8,
        15,
        '"BrokenInline": the inline policy "./policies/trailing-comma.json" is not valid JSON',
      ),
      at('IDC012', 'inline.yaml', 12, 15, '"HugeInline": the inline policy is 32817 bytes'),
      at(
        'IDC012',
        'inline.yaml',
        16,
        15,
        '"EscapingInline": the inline policy "../../x.json" cannot be used: the path points outside',
      ),
      at('IDC012', 'permission-sets.yaml', 4, 14, '"LongDescription": the description is 701 characters'),
      at('IDC012', 'permission-sets.yaml', 9, 3, '"TooManyPolicies": 3 managed policies'),
      at('IDC012', 'permission-sets.yaml', 18, 18, '"TooManyAltogether": 3 managed policies'),
    ],
  },
  { rule: 'IDC012', fixture: 'pass', expected: [] },
  {
    rule: 'IDC013',
    fixture: 'fail',
    expected: [
      at(
        'IDC013',
        'names.yaml',
        3,
        7,
        'permission set "AWSAdministratorAccess" takes a name AWS Control Tower',
        'warning',
      ),
      at(
        'IDC013',
        'names.yaml',
        7,
        11,
        'group "awscontroltoweradmins" takes a name AWS Control Tower creates and manages (AWSControlTower*)',
        'warning',
      ),
      at('IDC013', 'names.yaml', 8, 11, 'group "AWSControlTowerBreakGlass"', 'warning'),
      at(
        'IDC013',
        'names.yaml',
        9,
        11,
        'group "AWSSecurityAuditors" takes a name AWS Control Tower creates and manages (AWSSecurityAuditors)',
        'warning',
      ),
    ],
  },
  { rule: 'IDC013', fixture: 'pass', expected: [] },
  // Declared as Control Tower's own on purpose: referenced and assigned, with no IDC013 (issue #15, item 7).
  { rule: 'IDC013', fixture: 'pass-managed-elsewhere', expected: [] },
  {
    rule: 'IDC014',
    fixture: 'fail',
    expected: [
      at(
        'IDC014',
        'permission-sets.yaml',
        13,
        15,
        '"InYaml": statement 1: allows "Action": "*" on "Resource": "*"',
        'warning',
      ),
      at(
        'IDC014',
        'permission-sets.yaml',
        16,
        18,
        'statement 2: Allow with NotAction allows every action not listed',
        'warning',
      ),
      at(
        'IDC014',
        'permission-sets.yaml',
        20,
        17,
        'statement 3: allows iam:PassRole on every role in account 111111111111 (Resource "arn:aws:iam::111111111111:role/*"), and no iam:PassedToService condition limits the services',
        'warning',
      ),
      at(
        'IDC014',
        'policies/broken.json',
        6,
        17,
        '"FromFile": statement 1: Effect "allow" is not "Allow" or "Deny" (did you mean Allow?)',
      ),
      at(
        'IDC014',
        'policies/broken.json',
        7,
        34,
        'unknown service prefix "ec3" in "ec3:DescribeInstances" (did you mean ec2?)',
        'warning',
      ),
      at('IDC014', 'policies/broken.json', 7, 59, '"GetObject" is not an action'),
      at('IDC014', 'policies/broken.json', 9, 20, 'Principal belongs in resource policies'),
      at('IDC014', 'policies/broken.json', 12, 14, 'statement 2: Sid "Read" is also statement 1\'s'),
      at('IDC014', 'policies/broken.json', 15, 20, 'statement 2: has both Action and NotAction'),
      at('IDC014', 'policies/broken.json', 16, 19, '"bucket" is not a resource'),
      at('IDC014', 'policies/broken.json', 17, 20, 'a Condition maps operators to { key: value } objects'),
      at(
        'IDC014',
        'policies/broken.json',
        20,
        15,
        'unknown policy element "Statment" (did you mean Statement?)',
      ),
    ],
  },
  { rule: 'IDC014', fixture: 'pass', expected: [] },
  // Case-blind prefixes and actions, iam:PassRole scoped by name prefix or by iam:PassedToService, operators.
  { rule: 'IDC014', fixture: 'pass-aws-forms', expected: [] },
  {
    rule: 'IDC014',
    fixture: 'fail-names',
    expected: [
      at(
        'IDC014',
        'policies/names.json',
        2,
        14,
        'Version "2008-10-17" is the old policy language',
        'warning',
      ),
      at(
        'IDC014',
        'policies/names.json',
        5,
        14,
        'statement 1: Sid "Read buckets!" is not letters and digits only',
      ),
      at(
        'IDC014',
        'policies/names.json',
        7,
        18,
        '"iam:list" is no action of iam that idc-guard knows:',
        'warning',
      ),
      at(
        'IDC014',
        'policies/names.json',
        7,
        30,
        '"iam:ListUser" is no action of iam that idc-guard knows (did you mean iam:ListUsers?)',
        'warning',
      ),
      at(
        'IDC014',
        'policies/names.json',
        7,
        46,
        '"s3:Gte*" matches no action of s3 that idc-guard knows',
        'warning',
      ),
      at(
        'IDC014',
        'policies/names.json',
        15,
        16,
        'statement 2: unknown condition operator "bad"; IAM rejects the policy',
      ),
      at(
        'IDC014',
        'policies/names.json',
        16,
        25,
        'unknown condition operator "stringEquals" (did you mean StringEquals?): operator names are case-sensitive',
      ),
      at(
        'IDC014',
        'policies/names.json',
        17,
        25,
        'unknown condition operator "NullIfExists": Null has no IfExists form',
      ),
    ],
  },
  {
    rule: 'IDC014',
    fixture: 'fail-pass-role',
    expected: [
      at(
        'IDC014',
        'policies/pass-any.json',
        7,
        19,
        'statement 1: allows iam:PassRole on every role in every account (Resource "*"), and no iam:PassedToService condition limits the services',
        'warning',
      ),
      at(
        'IDC014',
        'policies/pass-any.json',
        12,
        19,
        'statement 2: allows iam:PassRole on every role in account ${aws:PrincipalAccount} (Resource "arn:aws:iam::${aws:PrincipalAccount}:role/*"), and its iam:PassedToService condition only excludes services',
        'warning',
      ),
      at('IDC014', 'policies/pass-any.json', 17, 20, 'statement 3: Allow with NotAction', 'warning'),
      at(
        'IDC014',
        'policies/pass-any.json',
        18,
        19,
        'statement 3: allows iam:PassRole on every role in every account (Resource "arn:aws:iam::*:*")',
        'warning',
      ),
    ],
  },
  {
    rule: 'IDC015',
    fixture: 'fail',
    expected: [
      at(
        'IDC015',
        'all.yaml',
        31,
        16,
        '3 permission sets are assigned in account prod (111111111111), over the quota of 2',
      ),
    ],
  },
  { rule: 'IDC015', fixture: 'pass', expected: [] },
];
