/**
 * A pull request as the runner has it, for tests of the Action: a git repository whose base commit and working
 * tree (the PR head) differ, and the event payload GitHub would send.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A file's content, or a symbolic link (its target as written: relative to the link's folder, or absolute). */
export type FileSpec = string | { symlink: string };

export interface PullRequestSpec {
  /** The base commit's files, by path relative to the repository root. */
  base: Record<string, FileSpec>;
  /** What the head changes: new content, a link, or null to delete (a file or a whole folder). */
  head?: Record<string, FileSpec | null>;
  /** The PR's labels (names), in `pull_request.labels`. */
  labels?: string[];
  /** The event's `action`: opened, synchronize (new commits, the default), labeled, … */
  action?: string;
  /** `repository.private` (default true). */
  private?: boolean;
  /** Overrides `pull_request.base.sha`, e.g. with a commit the repository does not have. */
  baseSha?: string;
  number?: number;
  /** The label a `labeled` event is about (`label.name` in the payload). */
  label?: string;
  /** The folder the repository is made in (default: the system's temporary folder). */
  within?: string;
}

export interface PullRequestRepo {
  /** The repository root: the workspace, with the head checked out. */
  workspace: string;
  /** The base commit, as committed (the event may say otherwise: `baseSha`). */
  baseSha: string;
  /** The head commit (the working tree is this commit). */
  headSha: string;
  /** The event payload's file (outside the workspace), for GITHUB_EVENT_PATH. */
  eventPath: string;
  event: Record<string, unknown>;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.symlinks=true', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();
}

/** Writes a file or a link at `path` under `root`, replacing whatever is there (never writing through a link). */
export function putFile(root: string, path: string, spec: FileSpec | null): void {
  const absolute = join(root, path);
  rmSync(absolute, { recursive: true, force: true });
  if (spec === null) return;
  mkdirSync(dirname(absolute), { recursive: true });
  if (typeof spec === 'string') writeFileSync(absolute, spec);
  else symlinkSync(spec.symlink, absolute);
}

/**
 * Commits `base`, then applies `head` and commits it too (the working tree is the head, as actions/checkout of
 * the PR's head leaves it), and writes the event payload GitHub would send.
 */
export function pullRequestRepo(spec: PullRequestSpec): PullRequestRepo {
  const workspace = mkdtempSync(join(spec.within ?? tmpdir(), 'idc-guard-pr-'));
  for (const [path, file] of Object.entries(spec.base)) putFile(workspace, path, file);
  git(workspace, 'init', '-q', '-b', 'main');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'base');
  const baseSha = git(workspace, 'rev-parse', 'HEAD');
  for (const [path, file] of Object.entries(spec.head ?? {})) putFile(workspace, path, file);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'head', '--allow-empty');
  const headSha = git(workspace, 'rev-parse', 'HEAD');
  const number = spec.number ?? 1;
  const event = {
    action: spec.action ?? 'synchronize',
    number,
    ...(spec.label ? { label: { name: spec.label } } : {}),
    pull_request: {
      number,
      labels: (spec.labels ?? []).map((name) => ({ name })),
      base: { sha: spec.baseSha ?? baseSha, ref: 'main', repo: { full_name: 'o/r' } },
      head: { sha: headSha, ref: 'feature', repo: { full_name: 'o/r' } },
    },
    repository: { full_name: 'o/r', private: spec.private ?? true },
  };
  const eventPath = join(mkdtempSync(join(tmpdir(), 'idc-guard-event-')), 'event.json');
  writeFileSync(eventPath, JSON.stringify(event));
  return { workspace, baseSha, headSha, eventPath, event };
}

/** The tree of `sha` in a fresh folder: what a workflow's own checkout of the base leaves. */
export function exportTree(workspace: string, sha: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'idc-guard-base-checkout-'));
  const tar = execFileSync('git', ['archive', '--format=tar', sha], { cwd: workspace });
  execFileSync('tar', ['-x', '-C', folder], { input: tar });
  return folder;
}
