import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { Notice, RawFinding, ToolError } from '../findings/types.js';
import { compileGlobs, globBase } from './glob.js';
import { fileStart } from './location.js';

export interface Discovery {
  files: string[];
  /** IDC001 for what is under `include` but is not read as it stands: symbolic links. Never suppressible. */
  problems: RawFinding[];
  errors: ToolError[];
  notices: Notice[];
}

const NEVER_WALKED = new Set(['.git', 'node_modules']);

/** Whether `path` (absolute, resolved) is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Lists the files under `root` that match `include` and not `exclude`, as sorted relative paths with `/`.
 * An unreadable directory is a tool error that names it; the rest of the tree is still listed.
 *
 * Nothing outside `root` is read, and nothing under `include` is hidden from the check: the tool that applies
 * the declarations follows symbolic links, so a link is an IDC001 error at its path. A link to a file inside
 * the repository is still read (so the check sees what the deployer applies); a link that leaves the
 * repository, and every linked folder, is not.
 */
export function discoverFiles(root: string, include: string[], exclude: string[]): Discovery {
  const isIncluded = compileGlobs(include);
  const isExcluded = compileGlobs(exclude);
  const errors: ToolError[] = [];
  const notices: Notice[] = [];
  const problems: RawFinding[] = [];
  const found = new Set<string>();
  const visited = new Set<string>();
  const realRoot = realpathOr(root);
  // read: the link's target is read all the same (a file inside the repository); else the model lacks it.
  const link = (path: string, message: string, read = false): void => {
    problems.push({
      ruleId: 'IDC001',
      message,
      at: fileStart(path),
      entity: { kind: 'file', name: path },
      unsuppressible: true,
      ...(read ? {} : { incomplete: '*' }),
    });
  };

  const walk = (rel: string): void => {
    if (visited.has(rel)) return;
    visited.add(rel);
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      errors.push({
        source: 'filesystem',
        file: rel || '.',
        message: `cannot read directory ${rel || '.'}: ${code ?? String(err)}`,
      });
      return;
    }
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        if (!isExcluded(path)) linkedEntry(path);
      } else if (entry.isDirectory()) {
        if (!NEVER_WALKED.has(entry.name)) walk(path);
      } else if (isIncluded(path) && !isExcluded(path) && entry.isFile()) {
        found.add(path);
      }
    }
  };

  const linkedEntry = (path: string): void => {
    const target = realpathOr(join(root, path));
    const inside = target !== undefined && realRoot !== undefined && isInside(realRoot, target);
    const stat = inside ? statSync(target, { throwIfNoEntry: false }) : undefined;
    if (stat?.isDirectory()) {
      link(
        path,
        `${path} is a symbolic link to a folder, which idc-guard does not follow; a tool that applies the ` +
          `declarations may follow it and apply what it holds. Commit the folder itself`,
      );
    } else if (isIncluded(path)) {
      if (inside && stat?.isFile()) found.add(path);
      link(
        path,
        inside && stat?.isFile()
          ? `${path} is a symbolic link: a tool that applies the declarations follows it, so it is ` +
              `checked as the file it points to, but a declaration must be the file itself, where a ` +
              `reviewer sees it. Commit the file instead of the link`
          : `${path} is a symbolic link to something outside the repository (or to nothing), which ` +
              `idc-guard does not read; a tool that applies the declarations may follow it. Commit the ` +
              `file itself`,
        inside && stat?.isFile(),
      );
    }
  };

  for (const pattern of include) {
    const base = globBase(pattern);
    const normalized = normalize(base || '.');
    if (normalized.startsWith('..') || normalized.startsWith(sep) || /^[a-zA-Z]:/.test(normalized)) {
      errors.push({
        source: 'config',
        message:
          `include pattern ${JSON.stringify(pattern)} reaches outside the repository root; ` +
          `idc-guard reads only files inside it`,
      });
      continue;
    }
    const linkedPart = firstLinkedSegment(root, base);
    if (linkedPart) {
      if (!problems.some((p) => p.at.file === linkedPart)) {
        link(
          linkedPart,
          `${linkedPart} is a symbolic link, which idc-guard does not follow, so the files under it are ` +
            `not checked; a tool that applies the declarations may follow it. Commit the folder itself`,
        );
      }
      continue;
    }
    walk(base);
  }
  return { files: [...found].sort(), problems, errors, notices };
}

/** The first segment of `rel` (a glob base) that is a symbolic link, as a relative path. */
function firstLinkedSegment(root: string, rel: string): string | undefined {
  let path = '';
  for (const segment of rel.split('/').filter(Boolean)) {
    path = path ? `${path}/${segment}` : segment;
    const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (stat.isSymbolicLink()) return path;
  }
  return undefined;
}

function realpathOr(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
