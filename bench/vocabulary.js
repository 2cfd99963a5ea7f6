// The vocabulary both generated organisations are written in, and the small text helpers they share.

/** A comma-separated list written over several lines. */
export function list(text) {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
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
/** Actions of the static organisation's inline policies. */
export const ACTIONS = list(`
  s3:GetObject, s3:ListBucket, s3:PutObject, ec2:Describe*, ec2:StartInstances, ec2:StopInstances,
  logs:GetLogEvents, logs:FilterLogEvents, cloudwatch:GetMetricData, dynamodb:Query,
  dynamodb:GetItem, lambda:InvokeFunction, lambda:GetFunction, kms:Decrypt, sqs:SendMessage,
  sns:Publish, ssm:GetParameter, ssm:StartSession, rds:DescribeDBInstances, ecs:UpdateService,
  ecr:BatchGetImage
`);
export const DENY_ACTIONS = list(`
  organizations:LeaveOrganization, iam:CreateUser, iam:CreateAccessKey, cloudtrail:StopLogging,
  cloudtrail:DeleteTrail, guardduty:DeleteDetector, config:DeleteConfigurationRecorder
`);
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
/** The organisation-wide permission sets, named before the team sets. */
export const BASE_SETS = ['AdministratorAccess', 'ReadOnlyAccess', 'BreakGlass', 'SecurityAudit', 'Billing'];

// The live organisation's own: its region; the server knows every managed policy but one, and fewer actions.
export const LIVE_REGION = 'us-east-1';
export const SCIM_ISSUER = 'https://sts.windows.net/5b0f6d2e-9a17-41aa-8c3e-72236b4c3a9e/';
export const LIVE_MANAGED_POLICIES = MANAGED_POLICIES.filter(
  (arn) => !arn.endsWith('/AWSCloudFormationReadOnlyAccess'),
);
export const LIVE_ACTIONS = list(`
  s3:GetObject, s3:ListBucket, s3:PutObject, ec2:Describe*, ec2:StartInstances, ec2:StopInstances,
  logs:GetLogEvents, logs:FilterLogEvents, cloudwatch:GetMetricData, dynamodb:Query, dynamodb:GetItem,
  lambda:InvokeFunction, kms:Decrypt, sqs:SendMessage, sns:Publish, ssm:GetParameter, ecs:UpdateService
`);
export const LIVE_DENY_ACTIONS = list(`
  organizations:LeaveOrganization, iam:CreateUser, iam:CreateAccessKey, cloudtrail:StopLogging,
  cloudtrail:DeleteTrail, guardduty:DeleteDetector
`);

/** A double-quoted YAML scalar (JSON's escaping is valid YAML). */
export const q = (s) => JSON.stringify(s);
export const pad = (n, width) => String(n).padStart(width, '0');

export function chunks(xs, n) {
  const out = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

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
