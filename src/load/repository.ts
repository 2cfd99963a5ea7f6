import type { Notice, RawFinding, ToolError } from '../findings/types.js';
import { discoverFiles } from './discover.js';
import { fileStart } from './location.js';
import { AliasBudget, parseSource, type ParsedDoc } from './parse.js';
import type { DocPositions } from './positions.js';
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
  /** Each file's documents, in path order (the same arrays a LoadCache hands out again). */
  docsByFile: Map<string, ParsedDoc[]>;
}

/**
 * What one run read and parsed, kept for the next run of the same process: a pull request's check reads the
 * base and the head, which mostly hold the same files, so each file is parsed once when its text is the same.
 * Parsed documents are never mutated downstream, so they can be shared.
 */
interface ParsedFile {
  suppressions: Suppressions;
  problems: RawFinding[];
  docs: ParsedDoc[];
}

export class LoadCache {
  private readonly files = new Map<string, ParsedFile & { text: string }>();
  /** Validation results by a file's documents (engine.ts), shared the same way. */
  readonly validations = new WeakMap<ParsedDoc[], unknown>();
  /** Documents parsed with positions (positions.ts), by document and file. */
  readonly located = new Map<string, { text: string; located: DocPositions | null }>();

  get(path: string, text: string) {
    const hit = this.files.get(path);
    return hit && hit.text === text ? hit : undefined;
  }

  set(path: string, text: string, parsed: ParsedFile): void {
    this.files.set(path, { text, ...parsed });
  }
}

/**
 * Discovers, reads and parses every file the config includes. Each file on its own: one broken file hides
 * nothing.
 */
/** What loading needs of the configuration (config/config.ts's Config has it). */
export interface LoadSettings {
  include: string[];
  exclude: string[];
  policies: string[];
  params: { maxFileBytes: number; maxFiles: number };
}

export function loadRepository(root: string, config: LoadSettings, cache?: LoadCache): LoadedRepository {
  // Policy files are read apart (rules/policy/load.ts), even when they sit among the declarations.
  const loaded = loadFiles(
    root,
    config.include,
    [...config.exclude, ...config.policies],
    config.params.maxFileBytes,
    config.params.maxFiles,
    cache,
  );
  // A check of nothing would pass silently, e.g. with a wrong --root or `path` input: say so, and fail.
  if (loaded.sources.size === 0 && loaded.problems.length === 0 && loaded.errors.length === 0) {
    loaded.errors.push({
      source: 'config',
      message:
        `no files match ${config.include.map((g) => JSON.stringify(g)).join(', ')} under ${root}; ` +
        `check --root (the Action's \`path\`) or \`include\` in .idc-guard.yml`,
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
  cache?: LoadCache,
): LoadedRepository {
  const discovery = discoverFiles(root, include, exclude);
  if (discovery.files.length > maxFiles) {
    discovery.errors.push({
      source: 'config',
      message:
        `${discovery.files.length} files match, more than params.maxFiles (${maxFiles}): the first ` +
        `${maxFiles} in path order were checked, the other ${discovery.files.length - maxFiles} not; ` +
        `narrow include or raise params.maxFiles`,
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
    docsByFile: new Map(),
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
    let parsed: ParsedFile | undefined = cache?.get(path, read.source.text);
    if (!parsed) {
      const scanned = scanSuppressions(read.source);
      const result = parseSource(read.source, aliases);
      parsed = {
        suppressions: scanned.suppressions,
        problems: [...scanned.problems, ...result.findings],
        docs: result.docs,
      };
      cache?.set(path, read.source.text, parsed);
    }
    loaded.suppressions.set(path, parsed.suppressions);
    append(loaded.problems, parsed.problems);
    append(loaded.docs, parsed.docs);
    loaded.docsByFile.set(path, parsed.docs);
  }
  return loaded;
}
