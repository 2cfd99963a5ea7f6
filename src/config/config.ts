import { statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Severity } from '../findings/types.js';
import { Locator } from '../load/positions.js';
import { parseSource } from '../load/parse.js';
import { readSource } from '../load/source.js';
import { validatorFor } from '../validate/schemas.js';
import { describeErrors } from '../validate/validate.js';
import { childLoc, keyLoc } from '../load/location.js';

export type FailOn = Severity | 'never';

export interface Params {
  tokenExpiryWarningDays: number;
  maxManagedPoliciesPerPermissionSet: number;
  maxInlinePolicyBytes: number;
  maxInlinePolicyNonWhitespaceBytes: number;
  maxFileBytes: number;
  maxPermissionSetsPerAccount: number;
  allowManagementAccountAssignments: boolean;
  maxFiles: number;
  maxFindings: number;
  /**
   * Display names of the AWS IAM Identity Center app in the IdP that do not say AWS, Amazon or Identity
   * Center.
   */
  awsAppNames: string[];
  /** IDC006 notices for required attributes whose only source may be empty for some users. */
  reportMayBeEmptySources: boolean;
}

export interface RuleSetting {
  severity?: Severity;
  enabled?: boolean;
}

/** How a pull request's own suppression comments are treated (findings/finalize.ts applies it). */
export type SuppressionMode = 'review' | 'base-only' | 'allow';

export interface Config {
  /** The config file, relative to the root, when one was read. */
  file?: string;
  include: string[];
  exclude: string[];
  failOn: FailOn;
  /** The file sets `failOn` itself (not the default): on a pull request it is then a floor. */
  failOnDeclared?: boolean;
  rules: Record<string, RuleSetting>;
  params: Params;
  policies: string[];
  baseline?: string;
  /** On a pull request: what its own inline suppressions do (see finalize.ts). */
  suppressions: SuppressionMode;
  acceptSuppressionsLabel: string;
  /** A PR comment puts grants in accounts whose alias or name matches this (case-insensitive) first. */
  productionAccounts: string;
  /** Where each key of `rules:` is written (`file:line:column`), to report one that names no rule. */
  ruleKeysAt?: Record<string, string>;
}

export const DEFAULT_PARAMS: Params = {
  tokenExpiryWarningDays: 30,
  // AWS: 20 managed policies per permission set, but the IAM role it becomes holds 10 by default.
  maxManagedPoliciesPerPermissionSet: 10,
  maxInlinePolicyBytes: 32_768,
  maxInlinePolicyNonWhitespaceBytes: 10_240,
  maxFileBytes: 10 * 1024 * 1024,
  // AWS IAM Identity Center quotas: "provisioned permission sets allowed per AWS account", adjustable.
  maxPermissionSetsPerAccount: 250,
  allowManagementAccountAssignments: false,
  // Bounds on one run: beyond them the run says so rather than grow without end.
  maxFiles: 20_000,
  maxFindings: 10_000,
  awsAppNames: [],
  // Off: the vendors' default mappings read attributes that may be empty, and without evidence that some
  // users lack them the notice is noise on every clean repository. IDC104 reports the users who do.
  reportMayBeEmptySources: false,
};

/** Production accounts by default: an alias or name with "prod" or "production" as a word of it. */
const DEFAULT_PRODUCTION_PATTERN = '(^|[^a-z])prod(uction)?([^a-z]|$)';

export const DEFAULT_CONFIG: Config = {
  include: ['identity/**/*.{yaml,yml,json}'],
  exclude: [],
  failOn: 'error',
  rules: {},
  params: DEFAULT_PARAMS,
  policies: [],
  suppressions: 'review',
  acceptSuppressionsLabel: 'idc-guard:accept-suppressions',
  productionAccounts: DEFAULT_PRODUCTION_PATTERN,
};

export const CONFIG_FILE = '.idc-guard.yml';

/** A configuration problem: the check cannot run as the team meant it to, so it stops with exit code 2. */
export class ConfigError extends Error {}

/**
 * Reads `.idc-guard.yml` (or `explicitPath`) with the same strict loader as declarations and checks it
 * against its schema. No config file means the defaults.
 */
export function loadConfig(root: string, explicitPath?: string): Config {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`${root} is not a directory: check --root (the Action's \`path\`)`);
  }
  const absPath = explicitPath ? join(root, relative(root, explicitPath)) : join(root, CONFIG_FILE);
  if (!existsSync(absPath)) {
    if (explicitPath) throw new ConfigError(`config file ${explicitPath} does not exist`);
    return DEFAULT_CONFIG;
  }
  const file = relative(root, absPath).split('\\').join('/');
  const read = readSource(root, file, DEFAULT_PARAMS.maxFileBytes);
  if ('error' in read) throw new ConfigError(read.error.message);
  if ('finding' in read) throw new ConfigError(read.finding.message);
  const { docs, findings } = parseSource(read.source);
  const locator = new Locator(new Map([[file, read.source]]));
  const at = (loc: Parameters<Locator['locate']>[0]): string => {
    const p = locator.locate(loc);
    return `${file}:${p.line}:${p.column}`;
  };
  if (findings.length > 0) throw new ConfigError(`${at(findings[0].at)}: ${findings[0].message}`);
  if (docs.length > 1)
    throw new ConfigError(`${file}: holds ${docs.length} YAML documents; the config is one document`);
  const value = docs[0]?.value ?? {};
  const ruleKeysAt = ruleKeyPositions(value, docs[0]?.loc, at);
  const validate = validatorFor('config.schema.json');
  if (!validate(value)) {
    const problem = describeErrors(validate.errors ?? [])[0];
    const loc = problem.key ? keyLoc(docs[0].loc, ...problem.path) : childLoc(docs[0].loc, ...problem.path);
    throw new ConfigError(`${at(loc)}: ${problem.message}`);
  }
  const v = value as Partial<Config> & { params?: Partial<Params> };
  return {
    file,
    include: v.include ?? DEFAULT_CONFIG.include,
    exclude: v.exclude ?? [],
    failOn: v.failOn ?? 'error',
    ...(v.failOn !== undefined ? { failOnDeclared: true } : {}),
    rules: v.rules ?? {},
    params: { ...DEFAULT_PARAMS, ...v.params },
    policies: v.policies ?? [],
    baseline: v.baseline,
    suppressions: v.suppressions ?? DEFAULT_CONFIG.suppressions,
    acceptSuppressionsLabel: v.acceptSuppressionsLabel ?? DEFAULT_CONFIG.acceptSuppressionsLabel,
    productionAccounts: productionPattern(v.productionAccounts, at, docs[0]?.loc),
    ruleKeysAt,
  };
}

/** The production-account pattern, checked to be a regular expression JavaScript can compile. */
function productionPattern(
  pattern: string | undefined,
  at: (loc: Parameters<Locator['locate']>[0]) => string,
  root: Parameters<typeof keyLoc>[0] | undefined,
): string {
  if (pattern === undefined || root === undefined) return DEFAULT_CONFIG.productionAccounts;
  try {
    new RegExp(pattern, 'i');
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: /, '');
    throw new ConfigError(
      `${at(childLoc(root, 'productionAccounts'))}: productionAccounts is no regular expression: ${why}`,
    );
  }
  return pattern;
}

// A built-in rule (IDC106) or a team policy (ACME-001), as config.schema.json's `rules` keys say.
const RULE_ID = /^(IDC[0-9]{3}|[A-Z][A-Z0-9]{0,15}-[A-Z0-9][A-Z0-9-]{0,31})$/;

/**
 * The position of each key of `rules:`. A key that cannot be a rule ID is refused here in words (the schema
 * would say only which pattern it breaks); whether an ID names a rule of this check is known only with the
 * catalogue (engine.ts).
 */
function ruleKeyPositions(
  value: unknown,
  root: Parameters<typeof keyLoc>[0] | undefined,
  at: (loc: Parameters<Locator['locate']>[0]) => string,
): Record<string, string> {
  const rules = (value as { rules?: unknown } | null)?.rules;
  if (!root || typeof rules !== 'object' || rules === null || Array.isArray(rules)) return {};
  const positions: Record<string, string> = {};
  for (const id of Object.keys(rules)) {
    const where = at(keyLoc(root, 'rules', id));
    if (!RULE_ID.test(id))
      throw new ConfigError(
        `${where}: rules: ${JSON.stringify(id)} is no rule ID: a built-in rule is IDC and three digits ` +
          "(IDC106), a team policy's ID is like ACME-001; `idc-guard rules` lists them",
      );
    positions[id] = where;
  }
  return positions;
}
