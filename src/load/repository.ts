import type { Config } from '../config/config.js';
import type { Notice, RawFinding, ToolError } from '../findings/types.js';
import { discoverFiles } from './discover.js';
import { fileStart } from './location.js';
import { AliasBudget, parseSource, type ParsedDoc } from './parse.js';
import { readSource, type SourceFile } from './source.js';
import { scanSuppressions, type Suppressions } from './suppressions.js';
import { append } from '../util/list.js';

/** Everything read from the repository: the files, their documents and suppressions, and what went wrong. */
export interface LoadedRepository {
  sources: Map<string, SourceFile>;
  suppressions: Map<string, Suppressions>;
  docs: ParsedDoc[];
  /** IDC001 problems: unreadable content, bad YAML/JSON, suppressions without a reason. */
  problems: RawFinding[];
  errors: ToolError[];
  notices: Notice[];
}

/** Discovers, reads and parses every file the config includes. Each file on its own: one broken file hides nothing. */
export function loadRepository(root: string, config: Config): LoadedRepository {
  // Policy files are read apart (rules/policy/load.ts), even when they sit among the declarations.
  const loaded = loadFiles(
    root,
    config.include,
    [...config.exclude, ...config.policies],
    config.params.maxFileBytes,
    config.params.maxFiles,
  );
  // A check of nothing would pass silently, e.g. with a wrong --root or `path` input: say so, and fail.
  if (loaded.sources.size === 0 && loaded.problems.length === 0 && loaded.errors.length === 0) {
    loaded.errors.push({
      source: 'config',
      message: `no files match ${config.include.map((g) => JSON.stringify(g)).join(', ')} under ${root}; check --root (the Action's \`path\`) or \`include\` in .idc-guard.yml`,
    });
  }
  return loaded;
}

/** Discovers, reads and parses the files under `root` that match `include` and not `exclude`. */
export function loadFiles(
  root: string,
  include: string[],
  exclude: string[],
  maxBytes: number,
  maxFiles = Infinity,
): LoadedRepository {
  const discovery = discoverFiles(root, include, exclude);
  if (discovery.files.length > maxFiles) {
    discovery.errors.push({
      source: 'config',
      message: `${discovery.files.length} files match, more than params.maxFiles (${maxFiles}): the first ${maxFiles} in path order were checked, the other ${discovery.files.length - maxFiles} not; narrow include or raise params.maxFiles`,
    });
    discovery.files = discovery.files.slice(0, maxFiles);
  }
  const loaded: LoadedRepository = {
    sources: new Map(),
    suppressions: new Map(),
    docs: [],
    problems: [...discovery.problems],
    errors: [...discovery.errors],
    notices: [...discovery.notices],
  };
  const aliases = new AliasBudget(); // per run, not per document: see MAX_ALIAS_EXPANSION_PER_RUN
  for (const path of discovery.files) {
    const read = readSource(root, path, maxBytes);
    // Under `include` and not read: never a silent skip, but an IDC001 at its path that fails the check.
    if ('error' in read)
      loaded.problems.push({
        ruleId: 'IDC001',
        message: `${read.error.message}, so it is not checked; make it readable, or exclude it`,
        at: fileStart(path),
        entity: { kind: 'file', name: path },
        unsuppressible: true,
        incomplete: '*',
      });
    if ('finding' in read) loaded.problems.push(read.finding);
    if (!('source' in read)) continue;
    loaded.sources.set(path, read.source);
    const scanned = scanSuppressions(read.source);
    loaded.suppressions.set(path, scanned.suppressions);
    append(loaded.problems, scanned.problems);
    const parsed = parseSource(read.source, aliases);
    append(loaded.docs, parsed.docs);
    append(loaded.problems, parsed.findings);
  }
  return loaded;
}
