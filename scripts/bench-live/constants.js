// The live-read benchmark (scripts/bench-live.js): paths, limits and the vocabulary of the live organisation.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { list, MANAGED_POLICIES as STATIC_MANAGED_POLICIES } from '../../bench/generate.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'bench', 'out');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const SERVER_SCRIPT = join(ROOT, 'test', 'aws', 'idc_server.py');
export const INSTALL_HINT = "pip install 'moto[server]'";

/** Identity Center's account-wide limit, which the server enforces during the measured reads. */
export const RATE = 20;
/** The page size of every listing (the APIs' maximum, and the reader's default). */
export const PAGE = 100;
/** Calls in flight while seeding (the server's limit is off then). */
export const SEED_CONCURRENCY = 8;
export const REGION = 'us-east-1';
export const SCIM_ISSUER = 'https://sts.windows.net/5b0f6d2e-9a17-41aa-8c3e-72236b4c3a9e/';

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
export const MODEL_SIZES = {
  L: { accounts: 1_000, permissionSets: 300, groups: 20_000, users: 50_000, tuples: 100_000, prGroups: 25 },
};

// Vocabulary of the live organisation alone; the rest is bench/generate.js's.
export const BASE_SETS = ['AdministratorAccess', 'ReadOnlyAccess', 'BreakGlass', 'SecurityAudit', 'Billing'];
/** AWS managed policies that the server knows (some with a path): the static bench's, but one. */
export const MANAGED_POLICIES = STATIC_MANAGED_POLICIES.filter(
  (arn) => !arn.endsWith('/AWSCloudFormationReadOnlyAccess'),
);
export const ACTIONS = list(`
  s3:GetObject, s3:ListBucket, s3:PutObject, ec2:Describe*, ec2:StartInstances, ec2:StopInstances,
  logs:GetLogEvents, logs:FilterLogEvents, cloudwatch:GetMetricData, dynamodb:Query, dynamodb:GetItem,
  lambda:InvokeFunction, kms:Decrypt, sqs:SendMessage, sns:Publish, ssm:GetParameter, ecs:UpdateService
`);
export const DENY_ACTIONS = list(`
  organizations:LeaveOrganization, iam:CreateUser, iam:CreateAccessKey, cloudtrail:StopLogging,
  cloudtrail:DeleteTrail, guardduty:DeleteDetector
`);
