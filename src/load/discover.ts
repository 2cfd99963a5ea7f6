import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Notice, ToolError } from '../findings/types.js';
import { compileGlobs, globBase } from './glob.js';

export interface Discovery {
  files: string[];
  errors: ToolError[];
  notices: Notice[];
}

const NEVER_WALKED = new Set(['.git', 'node_modules']);

/**
 * Lists the files under `root` that match `include` and not `exclude`, as sorted relative paths with `/`.
 * An unreadable directory is a tool error that names it; the rest of the tree is still listed.
 * Symbolic links are not followed, so a link cannot pull files from outside the repository into a check.
 */
export function discoverFiles(root: string, include: string[], exclude: string[]): Discovery {
  const isIncluded = compileGlobs(include);
  const isExcluded = compileGlobs(exclude);
  const errors: ToolError[] = [];
  const notices: Notice[] = [];
  const found = new Set<string>();
  const visited = new Set<string>();
  const bases = [...new Set(include.map(globBase))].sort();

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
      if (entry.isDirectory()) {
        if (!NEVER_WALKED.has(entry.name)) walk(path);
      } else if (isIncluded(path) && !isExcluded(path)) {
        if (entry.isSymbolicLink())
          notices.push({ file: path, message: `skipped ${path}: symbolic links are not followed` });
        else if (entry.isFile()) found.add(path);
      }
    }
  };
  for (const base of bases) walk(base);
  return { files: [...found].sort(), errors, notices };
}
