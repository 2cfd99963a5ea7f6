import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CONFIG_FILE, type Config } from '../config/config.js';
import { runCheck, type CheckOptions, type CheckResult } from '../engine.js';
import { accessDiff, type AccessDiff } from './access-diff.js';
import { accessRisk, newlyPrivileged } from './access-risk.js';
import { discoverFiles } from '../load/discover.js';
import { LoadCache } from '../load/repository.js';
import { scopeText } from '../live/load.js';
import { accountAliases } from '../model/targets.js';
import { exitCode, summarize } from '../findings/report.js';
import type { FailOnScope } from '../findings/types.js';
import { withholdMemberNames } from './privacy.js';
import { readScope } from './read-scope.js';
import { prerequisitesOf, scopeFindings } from './scope.js';

/**
 * A pull request's check, as the Action and `check --base` run it. The head (the PR) is untrusted; everything
 * that decides how it is judged comes from the base: the configuration, its baseline and the team's policies,
 * the instance identity (so deleting `instanceArn` cannot switch live reads off), which inline suppressions
 * apply, and a `failOn` that the caller may make stricter but not laxer.
 */
export interface PullRequestCheck {
  /** The head's checked folder. */
  headRoot: string;
  /** The same folder as the base commit has it (a folder the base lacks is an empty base). */
  baseRoot: string;
  /** The check's options for the head (live, mode, failOn, Action inputs for the instance). */
  options: CheckOptions;
  /** The label whose adding triggered this run: the base's accept label accepts the PR's own suppressions. */
  labelAdded?: string;
  /** A public repository: live member names appear only for groups the base declares. */
  publicRepository?: boolean;
  /** Which findings decide the verdict: those the change introduces (the default), or all. */
  failOnScope?: FailOnScope;
}

export interface PullRequestResult {
  result: CheckResult;
  base: CheckResult;
  diff: AccessDiff;
}

export async function checkPullRequest(pr: PullRequestCheck): Promise<PullRequestResult> {
  const { headRoot, baseRoot, options } = pr;
  const configPath = options.configPath && resolve(baseRoot, relative(headRoot, resolve(options.configPath)));
  // Base and head mostly hold the same files: each is parsed and validated once.
  const cache = new LoadCache();
  // When live state may be read, the base is judged afterwards against what the head's run read (or, if that
  // read nothing, without it): this first pass needs only its model, configuration and suppressions.
  const mayReadLive = options.live !== 'off';
  const judgeBase = (liveState?: CheckResult['live']) =>
    runCheck({
      root: baseRoot,
      configPath,
      now: options.now,
      cache,
      ...(liveState ? { liveState } : { live: 'off' }),
    });
  const base = await runCheck({
    root: baseRoot,
    configPath,
    live: 'off',
    now: options.now,
    cache,
    modelOnly: mayReadLive,
  });
  const instance = base.model.instance;
  const accepted = pr.labelAdded !== undefined && pr.labelAdded === base.config.acceptSuppressionsLabel;
  const result = await runCheck({
    ...options,
    cache,
    root: headRoot,
    configRoot: baseRoot,
    configPath: configPath && options.configPath,
    instanceArn: options.instanceArn ?? instance?.instanceArn,
    identityStoreId: options.identityStoreId ?? instance?.identityStoreId,
    region: options.region ?? instance?.region,
    review: { baseDirectives: base.directiveCounts, accepted },
    // Drift mode reads everything; a PR check reads what the change touches (an explicit scope wins).
    ...(options.mode === 'drift' || options.scope ? {} : { scopeOf: (head) => readScope(base.model, head) }),
    baseAccountAliases: accountAliases(base.model),
    baseDefinedInGit: new Map(base.model.permissionSets.filter((p) => !p.managedBy).map((p) => [p.name, p])),
    ...(base.model.accessControlAttributes[0]
      ? { baseAccessControlAttributes: base.model.accessControlAttributes[0] }
      : {}),
    configFailOnIsFloor: true,
  });
  const notices = result.report.notices;
  const headInstance = result.model.instance;
  if (instance && headInstance?.instanceArn !== instance.instanceArn) {
    notices.push({
      message:
        `this pull request changes the instance (instanceArn) from the base's: the check reads ` +
        `the base's instance, and the change applies once merged`,
    });
  }
  const changed = changedRuleFiles(headRoot, baseRoot, result.config, options.configPath ?? CONFIG_FILE);
  if (changed.length > 0) {
    notices.push({
      message:
        `this pull request changes ${changed.join(', ')}: the check uses the base branch's, ` +
        `and the changes apply once merged`,
    });
  }
  // The base against the same live state: its drift is "already drifted on the base", not the change's.
  const judged = result.live ? await judgeBase(result.live) : mayReadLive ? await judgeBase() : base;
  scopeFindings(result, judged, pr.failOnScope ?? 'introduced');
  const diff = accessDiff(base.model, result.model, result.live?.organization);
  prerequisitesOf(result, diff);
  const riskContext = {
    base: base.model,
    head: result.model,
    live: result.live,
    productionPattern: result.config.productionAccounts,
  };
  diff.risk = accessRisk(diff, riskContext);
  diff.newlyPrivileged = newlyPrivileged(riskContext);
  // The counts and the verdict again, now that findings are scoped (and prerequisites added).
  result.report.summary = summarize(result.report.findings);
  result.exitCode = exitCode(result.report, result.failOn);
  if (result.live?.scope && result.report.pullRequest)
    result.report.pullRequest.liveScope = scopeText(result.live.scope);
  if (pr.publicRepository && result.live) withholdMemberNames(result.report, base.model, result.live);
  return { result, base: judged, diff };
}

/** The configuration, baseline and policy files that differ between the head and the base (relative paths). */
function changedRuleFiles(headRoot: string, baseRoot: string, config: Config, configFile: string): string[] {
  const files = new Set([relative(headRoot, resolve(headRoot, configFile)).split('\\').join('/')]);
  if (config.baseline) files.add(config.baseline);
  for (const root of [headRoot, baseRoot]) {
    for (const file of discoverFiles(root, config.policies, []).files) files.add(file);
  }
  const read = (root: string, file: string): Buffer | undefined => {
    try {
      return readFileSync(join(root, file));
    } catch {
      return undefined;
    }
  };
  return [...files].filter((file) => {
    const [head, base] = [read(headRoot, file), read(baseRoot, file)];
    return head === undefined || base === undefined ? head !== base : !head.equals(base);
  });
}
