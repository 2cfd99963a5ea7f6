import { relative, resolve } from 'node:path';
import { loadConfig, type Config, type FailOn } from './config/config.js';
import { readBaseline } from './findings/baseline.js';
import { finalizeFindings } from './findings/finalize.js';
import { SEVERITY_RANK, type Finding, type Notice } from './findings/types.js';
import { exitCode, summarize, type Report } from './findings/report.js';
import { Locator } from './load/positions.js';
import { readReferencedFiles } from './load/referenced.js';
import { loadRepository } from './load/repository.js';
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
import { validateDocuments } from './validate/validate.js';
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
}

/**
 * The whole pipeline: load files (with positions on demand) → validate → model → rules → findings.
 * Reporters take the report from here; nothing in here prints.
 * Throws ConfigError when the configuration itself is unusable.
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const root = resolve(options.root);
  const configRoot = options.configRoot ? resolve(options.configRoot) : root;
  const config = loadConfig(
    configRoot,
    options.configPath && resolve(configRoot, relative(root, resolve(options.configPath))),
  );
  // Load: discover, read, parse.
  const { sources, suppressions, docs, problems, errors, notices } = loadRepository(root, config);
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
  const validation = validateDocuments(docs, (file) => sources.get(file)?.format ?? 'yaml');
  append(problems, validation.findings);
  const model = buildModel(validation.declarations);
  const imported = importExports(validation.untyped);
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
  const early = options.live === 'aws' ? validate() : undefined;
  const live = await loadLiveState(options, root, model, errors, notices);
  const analyzer = live
    ? await (early ?? (options.live === 'auto' || options.live === undefined ? validate() : undefined))
    : undefined;
  if (analyzer?.unavailable) {
    notices.push({
      message: `IAM Access Analyzer was not used (${analyzer.unavailable}): only idc-guard's offline IAM policy checks ran`,
    });
  }
  if (hasOrganizationTargets(model) && !live?.organization?.accounts) {
    notices.push({
      message: `assignments to OUs, account tags or the root are unresolved (${live ? 'the organization could not be read' : 'no live state'}): the accounts they grant are neither listed nor checked`,
    });
  }

  // Rules.
  const raw = runRules(
    {
      model,
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
  const catalogue = withTeamPolicies(team.policies);
  const all = finalizeFindings({
    raw,
    config,
    catalogue,
    locator: new Locator(sources),
    suppressions,
    baseline,
  });
  const findings = boundFindings(all, config.params.maxFindings, notices);
  const failOn = options.failOn ?? config.failOn;
  const apiCalls = { ...live?.apiCalls, ...analyzer?.apiCalls };
  const report: Report = {
    version: 1,
    summary: summarize(all),
    findings,
    errors,
    notices,
    stats: {
      files: sources.size,
      apiCalls: Object.values(apiCalls).reduce((a, b) => a + b, 0),
      ...(Object.keys(apiCalls).length > 0 ? { apiCallsByOperation: apiCalls } : {}),
      durationMs: Math.round(performance.now() - started),
    },
  };
  return { report, model, config, catalogue, live, failOn, exitCode: exitCode(report, failOn) };
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
    catalogue: withTeamPolicies(team.policies),
    problems,
  };
}

function withTeamPolicies(policies: Policy[]): Map<string, RuleMeta> {
  return new Map([...builtinCatalogue(), ...policies.map((p) => [p.meta.id, p.meta] as const)]);
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
    message: `${findings.length - max} of ${findings.length} findings are not listed (params.maxFindings is ${max}); the counts include them`,
  });
  return findings.filter((f) => kept.has(f));
}
