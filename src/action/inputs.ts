import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isInside } from '../load/discover.js';
import type { FailOn } from '../config/config.js';
import type { FailOnScope } from '../findings/types.js';
import type { CheckOptions } from '../engine.js';

type LiveMode = NonNullable<CheckOptions['live']>;

/** The Action's inputs (action.yml), checked; paths resolved against the workspace. */
export interface ActionInputs {
  /** The folder to check, absolute. */
  root: string;
  /** Prefix that makes a finding's file (relative to `root`) relative to the repository root. */
  pathPrefix: string;
  /** A folder the workflow checked out the PR's base commit into (its repository root), absolute. */
  basePath?: string;
  configPath?: string;
  live: LiveMode;
  mode: 'check' | 'drift';
  failOn: FailOn;
  failOnScope: FailOnScope;
  comment: boolean;
  githubToken: string;
  /** As given (relative to the workspace), because it is also the `sarif-file` output. */
  sarifFile?: string;
  /** The SARIF run's code scanning category (`sarif-category`); idc-guard/<path>/<mode> when not given. */
  sarifCategory?: string;
  driftIssue: boolean;
  region?: string;
  instanceArn?: string;
  identityStoreId?: string;
  /** The date rules take as "now" (IDC_GUARD_NOW, for reproducible runs); the clock otherwise. */
  now?: Date;
}

/** An input the Action cannot run with; its message is the one line the step fails with. */
export class InputError extends Error {}

const MODES = ['check', 'drift'] as const;
const FAIL_ON = ['error', 'warning', 'notice', 'never'] as const;
const FAIL_ON_SCOPE = ['introduced', 'all'] as const;
const LIVE_MODES = ['auto', 'aws', 'off'];
// The values the runner's YAML 1.2 core schema reads as booleans (the same as core.getBooleanInput).
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/**
 * Reads and checks every input. `read` is core.getInput (trimmed, '' when unset); `workspace` is the
 * repository root the runner checked out (GITHUB_WORKSPACE), which relative paths start from.
 */
export function parseInputs(
  read: (name: string) => string,
  workspace: string,
  env: NodeJS.ProcessEnv,
): ActionInputs {
  const optional = (name: string): string | undefined => read(name) || undefined;
  const root = resolve(workspace, read('path') || '.');
  requireDirectory(root, read('path') || '.');
  // Nothing outside the workspace is checked: a `path` that is, or goes through, a link elsewhere is refused.
  if (!isInside(realpathSync(workspace), realpathSync(root)))
    throw new InputError(`input path ${JSON.stringify(read('path'))} resolves outside the workspace`);
  const mode = oneOf('mode', read('mode') || 'check', MODES);
  const live = liveInput(read('live') || 'auto', workspace);
  if (mode === 'drift' && live === 'off') {
    throw new InputError(
      'input mode is "drift" but live is "off": drift needs live state (auto, aws or a snapshot file)',
    );
  }
  return {
    root,
    pathPrefix: repoPathPrefix(workspace, root),
    basePath: optional('base-path') && resolve(workspace, read('base-path')),
    // action.yml: the configuration file is relative to `path`.
    configPath: optional('config') && resolve(root, read('config')),
    live,
    mode,
    failOn: oneOf('fail-on', read('fail-on') || 'error', FAIL_ON),
    failOnScope: oneOf('fail-on-scope', read('fail-on-scope') || 'introduced', FAIL_ON_SCOPE),
    comment: booleanInput('comment', read('comment') || 'true'),
    githubToken: read('github-token'),
    sarifFile: optional('sarif-file'),
    sarifCategory: optional('sarif-category'),
    driftIssue: booleanInput('drift-issue', read('drift-issue') || 'true'),
    region: optional('aws-region'),
    instanceArn: optional('instance-arn'),
    identityStoreId: optional('identity-store-id'),
    now: fixedNow(env.IDC_GUARD_NOW),
  };
}

/**
 * `path/` when `root` is a folder of the repository, '' when it is the repository root. The repository is the
 * workspace, or the git checkout inside it that holds `root` (the PR head in a folder of its own, beside
 * the base, as the README's pull_request_target workflow does).
 */
export function repoPathPrefix(workspace: string, root: string): string {
  const top = resolve(workspace);
  let repo = top;
  for (let dir = resolve(root); isInside(top, dir) && dir !== top; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) {
      repo = dir;
      break;
    }
  }
  const rel = relative(repo, root).split('\\').join('/');
  return rel && !rel.startsWith('..') ? `${rel}/` : '';
}

function requireDirectory(absolute: string, given: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(absolute).isDirectory();
  } catch {
    // A missing path is reported below, like a file that is not a folder.
  }
  if (!isDirectory)
    throw new InputError(`input path ${JSON.stringify(given)} is not a folder in the workspace`);
}

// Anything but a mode is a snapshot file, relative to the workspace (like every path a workflow gives).
function liveInput(value: string, workspace: string): LiveMode {
  return LIVE_MODES.includes(value) ? value : resolve(workspace, value);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`input ${name} is ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`);
}

function booleanInput(name: string, value: string): boolean {
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(`input ${name} is ${JSON.stringify(value)}; expected true or false`);
}

function fixedNow(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const now = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(now.getTime())) throw new InputError('IDC_GUARD_NOW must be a date, YYYY-MM-DD');
  return now;
}
