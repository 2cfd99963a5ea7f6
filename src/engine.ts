import { realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ConfigError, loadConfig, type Config, type FailOn } from './config/config.js';
import { readBaseline } from './findings/baseline.js';
import {
  directiveApplies,
  directivesOfBase,
  finalizeFindings,
  placeFindings,
  type SuppressionReview,
} from './findings/finalize.js';
import { SEVERITY_RANK, type Finding, type Notice } from './findings/types.js';
import { exitCode, summarize, type AddedSuppression, type Report } from './findings/report.js';
import type { Loc, Position } from './load/location.js';
import { Locator } from './load/positions.js';
import { readReferencedFiles } from './load/referenced.js';
import { loadRepository, type LoadCache } from './load/repository.js';
import { closest } from './util/text.js';
import { unknownSuppressedRules } from './load/suppressions.js';
import { validateInlinePolicies } from './live/access-analyzer.js';
import { loadLiveState, type LiveOptions } from './live/load.js';
import type { LiveState } from './live/types.js';
import { buildModel } from './model/build.js';
import { hasOrganizationTargets } from './model/targets.js';
import type { DeclaredModel } from './model/types.js';
import { importExports } from './model/importers/index.js';
import { builtinCatalogue } from './rules/catalogue.js';
import { loadPolicies } from './rules/policy/load.js';
import type { Policy } from './rules/policy/types.js';
import { runRules } from './rules/run.js';
import type { RuleMeta } from './rules/types.js';
import type { ParsedDoc } from './load/parse.js';
import { validateDocuments, type ValidationResult } from './validate/validate.js';
import { append } from './util/list.js';

export interface CheckOptions extends LiveOptions {
  root: string;
  configPath?: string;
  failOn?: FailOn;
  /** The time rules take as "now" (IDC009); defaults to the clock. */
  now?: Date;
  /** Ignore the configured baseline (used when writing a new one). */
  ignoreBaseline?: boolean;
  /**
   * Where the configuration, its baseline and the team's policies are read from, when not from `root`: the
   * Action points it at the base branch's checkout, so a pull request cannot weaken the rules it is checked
   * against (disable a rule, add to the baseline, loosen a policy).
   */
  configRoot?: string;
  /**
   * A pull request's check: the directive keys of the base's inline suppressions, and whether a maintainer
   * accepted the ones the head adds. The base configuration's `suppressions:` decides what applies.
   */
  review?: { baseDirectives: ReadonlyMap<string, number>; accepted: boolean };
  /** Parsed and validated files kept between the runs of one process (a PR's base and head). */
  cache?: LoadCache;
  /** The scope of the live read, from the declared model (a pull request's: what the change touches). */
  scopeOf?: (model: DeclaredModel) => LiveOptions['scope'];
  /** Live state read already, used instead of reading it (a PR's base, against the head's read). */
  liveState?: LiveState;
  /** On a pull request: the base's account aliases (ID → alias), which win over the head's. */
  baseAccountAliases?: ReadonlyMap<string, string>;
  /** On a pull request: the permission sets the base defines in Git (see DeclaredModel.baseDefinedInGit). */
  baseDefinedInGit?: DeclaredModel['baseDefinedInGit'];
  /** On a pull request: the base's attributes for access control (DeclaredModel.baseAccessControlAttributes). */
  baseAccessControlAttributes?: DeclaredModel['baseAccessControlAttributes'];
  /**
   * A `failOn` that the configuration declares is a floor: `failOn` can make the check stricter, never laxer
   * (a PR check, where the configuration is the base's).
   */
  configFailOnIsFloor?: boolean;
  /**
   * Skip the rules: the caller needs only the model, the configuration and the suppressions (a PR's base when
   * live state may be read, since the base is then judged again against it).
   */
  modelOnly?: boolean;
}

export interface CheckResult {
  report: Report;
  /** The declared state, for commands that need it beyond the report (snapshot, the Action's access diff). */
  model: DeclaredModel;
  config: Config;
  /** Every rule of this check: the built-in catalogue and the team's policies. */
  catalogue: Map<string, RuleMeta>;
  /** The live state the check used, if any (the Action resolves OU targets in the access diff with it). */
  live?: LiveState;
  failOn: FailOn;
  exitCode: 0 | 1 | 2;
  /** How many inline suppression directives of each key were read (a base check hands them to the head's). */
  directiveCounts: Map<string, number>;
  /** The line and column of a location in the files this check read. */
  locate: (loc: Loc) => Position;
}

/**
 * The whole pipeline: load files (with positions on demand) → validate → model → rules → findings.
 * Reporters take the report from here; nothing in here prints.
 * Throws ConfigError when the configuration itself is unusable.
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  // A root reached through a link is checked where it really is: every "inside the root" test compares real paths.
  const root = realRoot(options.root);
  const configRoot = options.configRoot ? realRoot(options.configRoot) : root;
  const config = loadConfig(
    configRoot,
    options.configPath && resolve(configRoot, relative(root, realRoot(options.configPath))),
  );
  // Load: discover, read, parse.
  const { sources, suppressions, problems, errors, notices, docsByFile } = loadRepository(
    root,
    config,
    options.cache,
  );
  const team = loadPolicies(
    configRoot,
    config.policies,
    config.params.maxFileBytes,
    new Set(builtinCatalogue().keys()),
  );
  for (const [file, source] of team.sources) sources.set(file, source);
  for (const [file, s] of team.suppressions) suppressions.set(file, s);
  append(problems, team.problems);
  append(errors, team.errors);

  // Validate and model.
  const validation = validateFiles(docsByFile, (file) => sources.get(file)?.format ?? 'yaml', options.cache);
  append(problems, validation.findings);
  const model = buildModel(validation.declarations);
  if (options.baseAccountAliases) model.baseAccountAliases = options.baseAccountAliases;
  if (options.baseDefinedInGit) model.baseDefinedInGit = options.baseDefinedInGit;
  if (options.baseAccessControlAttributes)
    model.baseAccessControlAttributes = options.baseAccessControlAttributes;
  const imported = importExports(validation.untyped, { awsAppNames: config.params.awsAppNames });
  append(model.mappingSets, imported.sets);
  append(problems, imported.findings);
  const referenced = readReferencedFiles(model, root, config.params.maxFileBytes);
  for (const [file, source] of referenced) if (source && !sources.has(file)) sources.set(file, source);
  // A referenced policy file is no declaration: IDC012 reports its problems, once.
  const loadProblems = problems.filter((p) => !referenced.has(p.at.file));
  for (const doc of imported.unknown) {
    if (!referenced.has(doc.file)) {
      notices.push({
        file: doc.file,
        message: `skipped ${doc.file}: a JSON file with no \`kind\` and not a known IdP export or a referenced policy`,
      });
    }
  }
  // AWS's own policy validation, where the run reads AWS anyway (not from a snapshot, not offline): with
  // --live aws at the same time as the read (another service, with its own quota); with auto once it is
  // known that AWS is read.
  const validate = () =>
    validateInlinePolicies(model, {
      region: options.region ?? model.instance?.region,
      requestsPerSecond: options.requestsPerSecond,
    });
  // A state read already (a pull request's base is judged against the live state read for its head).
  const given = options.liveState;
  const early = !given && options.live === 'aws' ? validate() : undefined;
  // Worked out only when AWS is read: a snapshot holds what it holds, and `off` reads nothing.
  const readsAws =
    !given && (options.live === 'aws' || options.live === 'auto' || options.live === undefined);
  const scope = (readsAws ? options.scopeOf?.(model) : undefined) ?? options.scope;
  const live = given ?? (await loadLiveState({ ...options, scope }, root, model, errors, notices));
  const analyzer =
    live && !given
      ? await (early ?? (options.live === 'auto' || options.live === undefined ? validate() : undefined))
      : undefined;
  if (analyzer?.unavailable) {
    notices.push({
      message: `IAM Access Analyzer was not used (${analyzer.unavailable}): only idc-guard's offline IAM policy checks ran`,
    });
  }
  if (hasOrganizationTargets(model) && !live?.organization?.accounts) {
    notices.push({
      message:
        `assignments to OUs, account tags, the root or account names are unresolved (${live ? 'the organization could not be read' : 'no live state'}): ` +
        `the root is taken as every declared account, and an OU, tag or name target is checked as if it ` +
        `granted each declared account ("may grant")`,
    });
  }

  // Rules.
  const incomplete = new Map<string, string[]>();
  for (const p of loadProblems) {
    // A broken team policy leaves no declaration out; a broken declaration file does.
    if (p.incomplete === undefined || team.sources.has(p.at.file)) continue;
    const files = incomplete.get(p.incomplete) ?? [];
    if (!files.includes(p.at.file)) files.push(p.at.file);
    incomplete.set(p.incomplete, files);
  }
  const raw = options.modelOnly
    ? []
    : runRules(
        {
          model,
          incomplete,
          loadProblems,
          params: config.params,
          now: options.now ?? new Date(),
          analyzerFindings: analyzer?.findings,
        },
        live,
        notices,
        team.policies,
      );

  // Findings.
  let baseline: Set<string> | undefined;
  if (config.baseline && !options.ignoreBaseline) {
    try {
      baseline = readBaseline(configRoot, config.baseline);
    } catch (err) {
      errors.push({ source: 'config', file: config.baseline, message: (err as Error).message });
    }
  }
  const locator = new Locator(sources, options.cache?.located);
  const catalogue = withTeamPolicies(team.policies, locator);
  const ruleIds = [...catalogue.keys()];
  refuseUnknownRuleSettings(config, ruleIds);
  append(
    raw,
    unknownSuppressedRules(suppressions, new Set(ruleIds), (id) => closest(id, ruleIds)),
  );
  const review: SuppressionReview | undefined = options.review && {
    mode: config.suppressions,
    accepted: options.review.accepted,
    ofBase: directivesOfBase(suppressions, options.review.baseDirectives),
  };
  const all = finalizeFindings({
    raw,
    config,
    catalogue,
    locator,
    suppressions,
    baseline,
    review,
  });
  const findings = placeFindings(boundFindings(all, config.params.maxFindings, notices), locator);
  const failOn =
    options.configFailOnIsFloor && config.failOnDeclared
      ? stricter(options.failOn ?? config.failOn, config.failOn)
      : (options.failOn ?? config.failOn);
  const directiveCounts = new Map<string, number>();
  const added: AddedSuppression[] = [];
  for (const [file, s] of suppressions) {
    for (const [line, d] of s.byLine) {
      directiveCounts.set(d.key, (directiveCounts.get(d.key) ?? 0) + 1);
      if (review && !review.ofBase.has(d)) {
        const status = directiveApplies(d, review)
          ? 'accepted'
          : review.mode === 'base-only'
            ? 'refused'
            : 'requested';
        added.push({ file, line, ruleIds: d.ruleIds, reason: d.reason, status });
      }
    }
  }
  const apiCalls = { ...live?.apiCalls, ...analyzer?.apiCalls };
  const report: Report = {
    version: 1,
    summary: summarize(all),
    findings,
    errors,
    notices,
    ...(review
      ? {
          addedSuppressions: {
            mode: review.mode,
            acceptLabel: config.acceptSuppressionsLabel,
            items: added.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
          },
        }
      : {}),
    stats: {
      files: sources.size,
      apiCalls: Object.values(apiCalls).reduce((a, b) => a + b, 0),
      ...(Object.keys(apiCalls).length > 0 ? { apiCallsByOperation: apiCalls } : {}),
      durationMs: Math.round(performance.now() - started),
    },
  };
  return {
    report,
    model,
    config,
    catalogue,
    live,
    failOn,
    exitCode: exitCode(report, failOn),
    directiveCounts,
    locate: (loc) => locator.locate(loc),
  };
}

/**
 * The rules a check of `root` runs: the built-in catalogue and the team's policies, for `idc-guard rules`.
 * Problems with the policies come back as `file:line:column: message` lines.
 */
export function ruleCatalogue(options: Pick<CheckOptions, 'root' | 'configPath'>): {
  catalogue: Map<string, RuleMeta>;
  problems: string[];
} {
  const root = resolve(options.root);
  const config = loadConfig(root, options.configPath);
  const team = loadPolicies(
    root,
    config.policies,
    config.params.maxFileBytes,
    new Set(builtinCatalogue().keys()),
  );
  const locator = new Locator(team.sources);
  const problems = [
    ...team.errors.map((e) => (e.file ? `${e.file}: ${e.message}` : e.message)),
    ...team.problems.map((p) => {
      const { line, column } = locator.locate(p.at);
      return `${p.at.file}:${line}:${column}: ${p.message}`;
    }),
  ];
  return {
    catalogue: withTeamPolicies(team.policies, locator),
    problems,
  };
}

/** Validates each file's documents, once per parse when a cache keeps them (the results are shared, not copied). */
function validateFiles(
  docsByFile: ReadonlyMap<string, ParsedDoc[]>,
  formatOf: (file: string) => 'yaml' | 'json',
  cache: LoadCache | undefined,
): ValidationResult {
  const all: ValidationResult = { declarations: [], untyped: [], findings: [] };
  for (const docs of docsByFile.values()) {
    let result = cache?.validations.get(docs) as ValidationResult | undefined;
    if (!result) {
      result = validateDocuments(docs, formatOf);
      cache?.validations.set(docs, result);
    }
    append(all.declarations, result.declarations);
    append(all.untyped, result.untyped);
    append(all.findings, result.findings);
  }
  return all;
}

const FAIL_ON_RANK: Record<FailOn, number> = { never: 0, error: 1, warning: 2, notice: 3 };

/** The stricter of two thresholds: the one that fails on more. */
export function stricter(a: FailOn, b: FailOn): FailOn {
  return FAIL_ON_RANK[a] >= FAIL_ON_RANK[b] ? a : b;
}

/** The real path of a folder given by the user (links resolved), or the path itself when it does not exist. */
function realRoot(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return resolve(path);
  }
}

/** A `rules:` setting for a rule this check does not have would change nothing: the configuration is wrong. */
function refuseUnknownRuleSettings(config: Config, ruleIds: string[]): void {
  for (const [id, at] of Object.entries(config.ruleKeysAt ?? {})) {
    if (ruleIds.includes(id)) continue;
    const near = closest(id, ruleIds);
    throw new ConfigError(
      `${at}: rules: ${id} is no rule of this check${near ? ` (did you mean ${near}?)` : ''}; ` +
        "`idc-guard rules` lists the built-in rules and the team's policies",
    );
  }
}

/** The catalogue with the team's policies, each with the line of its document (SARIF links to it). */
function withTeamPolicies(policies: Policy[], locator: Locator): Map<string, RuleMeta> {
  return new Map([
    ...builtinCatalogue(),
    ...policies.map((p) => [p.meta.id, { ...p.meta, sourceLine: locator.locate(p.at).line }] as const),
  ]);
}

/**
 * At most `max` findings in a report, the most severe kept (unsuppressed before suppressed), in report order;
 * the summary still counts them all, and a notice says how many were left out.
 */
function boundFindings(findings: Finding[], max: number, notices: Notice[]): Finding[] {
  if (findings.length <= max) return findings;
  const rank = (f: Finding) => (f.suppressed ? 0 : SEVERITY_RANK[f.severity]);
  const kept = new Set([...findings].sort((a, b) => rank(b) - rank(a)).slice(0, max));
  notices.push({
    message:
      `${findings.length - max} of ${findings.length} findings are not listed (params.maxFindings ` +
      `is ${max}); the counts include them`,
  });
  return findings.filter((f) => kept.has(f));
}
