import type { PathSegment } from '../../load/location.js';
import { OTHER_APPS } from '../idp.js';
import type { ExportProblems } from './common.js';

/** A name that an export carries for the app it belongs to, and where in the file it is. */
export interface AppSignal {
  name: string;
  path: PathSegment[];
  /** Where the name was found, in words, for messages. */
  where: string;
}

/** What one name says of the app: the AWS app, another app (known or not), or nothing about any app. */
export type AppVerdict = 'aws' | 'known-other' | 'unknown-other' | 'silent';

/**
 * Names of AWS IAM Identity Center's apps: "AWS IAM Identity Center", "AWSSingleSignon", "amazon_aws_sso".
 */
const AWS_APP = /\baws|amazon|identity\s*center/i;

/**
 * Names that belong to no app in particular: the source directory and the generic SCIM connector, whose name
 * Entra gives every non-gallery SCIM app's target directory.
 */
const SILENT_NAMES = new Set([
  '',
  'azure active directory',
  'microsoft entra id',
  'microsoft entra',
  'entra id',
  'aad',
  'customappsso',
  'scim',
]);

export function appVerdict(name: string, awsAppNames: readonly string[]): AppVerdict {
  const n = name.trim().toLowerCase();
  if (SILENT_NAMES.has(n)) return 'silent';
  if (awsAppNames.some((a) => a.trim().toLowerCase() === n) || AWS_APP.test(n)) return 'aws';
  return OTHER_APPS.test(n.replace(/_/g, ' ')) ? 'known-other' : 'unknown-other';
}

/**
 * Judges an export by every app name it carries. Any name of the AWS app wins (other names may be leftovers);
 * otherwise the first name of another app refuses the file: an error for a known app, a warning for a name
 * idc-guard cannot place (it may be the AWS app under a custom name: `params.awsAppNames` says so). Returns
 * true when the file is to be read as the AWS app's.
 */
export function isAwsAppExport(
  signals: AppSignal[],
  awsAppNames: readonly string[],
  problems: ExportProblems,
  what: string,
): boolean {
  const judged = signals.map((s) => ({ ...s, verdict: appVerdict(s.name, awsAppNames) }));
  if (judged.some((s) => s.verdict === 'aws')) return true;
  const other =
    judged.find((s) => s.verdict === 'known-other') ?? judged.find((s) => s.verdict === 'unknown-other');
  if (!other) return true;
  const name = JSON.stringify(other.name);
  if (other.verdict === 'known-other') {
    problems.add(
      other.path,
      `${what} is for another app (${name}, ${other.where}), not AWS IAM Identity Center, so it is not ` +
        `checked; export the AWS IAM Identity Center app's instead`,
    );
  } else {
    problems.add(
      other.path,
      `${what} is for the app ${name} (${other.where}), which idc-guard cannot place, and nothing in it ` +
        `names AWS IAM Identity Center, so it is not checked; if ${name} is your AWS IAM Identity Center ` +
        `app, list it in params.awsAppNames`,
      { severity: 'warning' },
    );
  }
  return false;
}
