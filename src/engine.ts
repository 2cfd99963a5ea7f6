import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join as joinPath, resolve } from 'node:path';
import { loadConfig, type Config, type FailOn } from './config/config.js';
import { readBaseline } from './findings/baseline.js';
import { finalizeFindings } from './findings/finalize.js';
import { exitCode, summarize, type Report } from './findings/report.js';
import type { Notice, RawFinding, ToolError } from './findings/types.js';
import { discoverFiles } from './load/discover.js';
import { parseSource, type ParsedDoc } from './load/parse.js';
import { Locator } from './load/positions.js';
import { readReferencedFiles } from './load/referenced.js';
import { readSource, type SourceFile } from './load/source.js';
import { scanSuppressions, type Suppressions } from './load/suppressions.js';
import { join } from './live/join.js';
import { readLiveState } from './live/reader.js';
import { readSnapshot } from './live/snapshot.js';
import type { LiveState } from './live/types.js';
import { buildModel } from './model/build.js';
import type { DeclaredModel } from './model/types.js';
import { importExports } from './model/importers/index.js';
import { builtinCatalogue } from './rules/catalogue.js';
import { LIVE_RULES, STATIC_RULES } from './rules/index.js';
import type { RuleContext } from './rules/types.js';
import { validateDocuments } from './validate/validate.js';

export type LiveMode = 'auto' | 'aws' | 'off' | string;

export interface CheckOptions {
  root: string;
  configPath?: string;
  live?: LiveMode;
  failOn?: FailOn;
  /** The time rules take as "now" (IDC009); defaults to the clock. */
  now?: Date;
  /** Ignore the configured baseline (used when writing a new one). */
  ignoreBaseline?: boolean;
  /** How much live state to read: the declared principals (a PR check) or everything (drift). */
  strategy?: 'principals' | 'all';
  /** Override what the declarations say of the instance (Action inputs). */
  region?: string;
  instanceArn?: string;
  identityStoreId?: string;
  /** The client-side rate limit for AWS reads (default 20 a second). */
  requestsPerSecond?: number;
}

export interface CheckResult {
  report: Report;
  /** The declared state, for commands that need it beyond the report (snapshot, the Action's access diff). */
  model: DeclaredModel;
  config: Config;
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
  const config = loadConfig(root, options.configPath);
  const errors: ToolError[] = [];
  const notices: Notice[] = [];
  const problems: RawFinding[] = [];

  // Load: discover, read, parse. Every file is handled on its own, so one broken file hides nothing else.
  const discovery = discoverFiles(root, config.include, config.exclude);
  errors.push(...discovery.errors);
  notices.push(...discovery.notices);
  const sources = new Map<string, SourceFile>();
  const suppressions = new Map<string, Suppressions>();
  const docs: ParsedDoc[] = [];
  for (const path of discovery.files) {
    const read = readSource(root, path, config.params.maxFileBytes);
    if ('error' in read) errors.push(read.error);
    if ('finding' in read) problems.push(read.finding);
    if (!('source' in read)) continue;
    sources.set(path, read.source);
    const scanned = scanSuppressions(read.source);
    suppressions.set(path, scanned.suppressions);
    problems.push(...scanned.problems);
    const parsed = parseSource(read.source);
    docs.push(...parsed.docs);
    problems.push(...parsed.findings);
  }

  // Validate and model.
  const validation = validateDocuments(docs, (file) => sources.get(file)?.format ?? 'yaml');
  problems.push(...validation.findings);
  const model = buildModel(validation.declarations);
  const imported = importExports(validation.untyped);
  model.mappingSets.push(...imported.sets);
  problems.push(...imported.findings);
  const referenced = readReferencedFiles(model, root, config.params.maxFileBytes);
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
  const live = await loadLiveState(options, root, model, errors, notices);

  // Rules.
  const context: RuleContext = {
    model,
    loadProblems,
    params: config.params,
    now: options.now ?? new Date(),
  };
  const raw = STATIC_RULES.flatMap((rule) => rule.check(context));
  if (live) {
    context.joined = join(model, live);
    for (const rule of LIVE_RULES) {
      const unread = (rule.needs ?? []).filter((part) => live.complete[part] === false);
      if (unread.length > 0) {
        // Never drift from a partial read: the rule says it could not decide instead.
        notices.push({
          message: `${rule.id} not evaluated: ${unread.join(', ')} could not be read completely (see the errors)`,
        });
        continue;
      }
      raw.push(...rule.check(context));
    }
  }

  // Findings.
  let baseline: Set<string> | undefined;
  if (config.baseline && !options.ignoreBaseline) {
    try {
      baseline = readBaseline(root, config.baseline);
    } catch (err) {
      errors.push({ source: 'config', file: config.baseline, message: (err as Error).message });
    }
  }
  const findings = finalizeFindings({
    raw,
    config,
    catalogue: builtinCatalogue(),
    locator: new Locator(sources),
    suppressions,
    baseline,
  });
  const failOn = options.failOn ?? config.failOn;
  const report: Report = {
    version: 1,
    summary: summarize(findings),
    findings,
    errors,
    notices,
    stats: {
      files: sources.size,
      apiCalls: Object.values(live?.apiCalls ?? {}).reduce((a, b) => a + b, 0),
      ...(live && Object.keys(live.apiCalls).length > 0 ? { apiCallsByOperation: live.apiCalls } : {}),
      durationMs: Math.round(performance.now() - started),
    },
  };
  return { report, model, config, failOn, exitCode: exitCode(report, failOn) };
}

/** Whether the SDK's default chain is likely to find credentials, without calling AWS. */
function credentialsConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    existsSync(joinPath(homedir(), '.aws', 'credentials')) ||
    existsSync(joinPath(homedir(), '.aws', 'config')),
  );
}

/**
 * The live state the options ask for: none (`off`), a snapshot file, or AWS (`aws`, or `auto` when credentials
 * and an instance are known). What cannot be read becomes a tool error; rules then say they could not decide.
 */
export async function loadLiveState(
  options: CheckOptions,
  root: string,
  model: DeclaredModel | undefined,
  errors: ToolError[],
  notices: Notice[],
): Promise<LiveState | undefined> {
  const mode = options.live ?? 'auto';
  if (mode === 'off') return undefined;
  if (mode !== 'aws' && mode !== 'auto') {
    try {
      const state = readSnapshot(root, resolve(mode));
      notices.push({ message: `live state from the snapshot read at ${state.readAt}` });
      for (const f of state.failures)
        errors.push({ source: 'aws', message: `${f.operation}: ${f.message} (recorded in the snapshot)` });
      return state;
    } catch (err) {
      errors.push({ source: 'usage', message: (err as Error).message });
      return undefined;
    }
  }
  const instanceArn = options.instanceArn ?? model?.instance?.instanceArn;
  if (mode === 'auto' && !(credentialsConfigured(process.env) && instanceArn)) {
    notices.push({
      message: `live rules skipped (--live auto): ${instanceArn ? 'no AWS credentials found' : 'no instanceArn declared'}; use --live aws or a snapshot to run them`,
    });
    return undefined;
  }
  const strategy = options.strategy ?? 'principals';
  try {
    const state = await readLiveState({
      region: options.region ?? model?.instance?.region,
      instanceArn,
      identityStoreId: options.identityStoreId ?? model?.instance?.identityStoreId,
      strategy,
      principals: model && {
        groups: [
          ...new Set([
            ...model.groups.map((g) => g.name),
            ...model.assignments.filter((a) => a.principalType === 'group').map((a) => a.principal.value),
          ]),
        ],
        users: [
          ...new Set(
            model.assignments.filter((a) => a.principalType === 'user').map((a) => a.principal.value),
          ),
        ],
        permissionSets: model.permissionSets.map((p) => p.name),
      },
      requestsPerSecond: options.requestsPerSecond,
    });
    const calls = Object.values(state.apiCalls).reduce((a, b) => a + b, 0);
    const how = state.instance.discovered ? ' (the only instance, found with ListInstances)' : '';
    notices.push({
      message: `live state read from AWS: ${state.instance.instanceArn}${how}, ${strategy === 'all' ? 'every assignment' : 'the declared principals'}, ${calls} API calls`,
    });
    for (const f of state.failures) errors.push({ source: 'aws', message: `${f.operation}: ${f.message}` });
    return state;
  } catch (err) {
    errors.push({ source: 'aws', message: (err as Error).message });
    return undefined;
  }
}
