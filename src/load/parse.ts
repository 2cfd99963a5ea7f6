import jsYaml from 'js-yaml';
import type { RawFinding } from '../findings/types.js';
import type { PathLoc } from './location.js';
import type { SourceFile } from './source.js';

/** One YAML document (or a whole JSON file) as plain data, with where it came from. */
export interface ParsedDoc {
  file: string;
  /** Chunk index in the file: the `doc` of every location inside it. */
  doc: number;
  value: unknown;
  loc: PathLoc;
}

export interface ParseResult {
  docs: ParsedDoc[];
  findings: RawFinding[];
}

/** How far aliases may expand a document beyond its own nodes: enough for reuse, too little for a bomb. */
export const MAX_ALIAS_EXPANSION = 10_000;
/**
 * How far aliases may expand all the documents of a run together. A per-document limit alone let a file of
 * many small aliased documents multiply its size by thousands (millions of findings from 10 MB). A fixed
 * total, not one that grows with the input: each expanded node can cost a finding, so aliases must never make
 * a check costlier than writing the values out would, beyond this constant.
 */
export const MAX_ALIAS_EXPANSION_PER_RUN = 100_000;

/** Deeper than any declaration needs; deeper input is refused before anything recurses over it. */
export const MAX_DEPTH = 64;

/** What the documents of one run have expanded by so far, against MAX_ALIAS_EXPANSION_PER_RUN. */
export class AliasBudget {
  private expanded = 0;

  /**
   * Admits a document's expansion, or refuses it (nothing counted) when the run's total would pass the limit.
   */
  admit(expansion: number): boolean {
    if (this.expanded + expansion > MAX_ALIAS_EXPANSION_PER_RUN) return false;
    this.expanded += expansion;
    return true;
  }
}

/**
 * Parses a source on the fast path (js-yaml, no positions: see positions.ts for why), strictly:
 * YAML 1.2 core schema (no merge keys, no `yes`/`no` booleans), unique keys, bounded aliases and depth.
 * `aliases` is shared by the sources of one run: their alias expansion is bounded together.
 */
export function parseSource(source: SourceFile, aliases = new AliasBudget()): ParseResult {
  const docs: ParsedDoc[] = [];
  const findings: RawFinding[] = [];
  source.chunks.forEach((chunk, index) => {
    const text = source.text.slice(chunk.start, chunk.end);
    // A parser may place "unexpected end of the stream" just past the last line: point at the last one.
    const lastLine = text.split(/\r\n|\r|\n/).length;
    // modelled: the document is still read (a duplicate key, last wins); otherwise the model lacks it.
    const fail = (message: string, line = 1, column = 1, modelled = false): void => {
      const inside = Math.min(line, lastLine);
      findings.push({
        ruleId: 'IDC001',
        message,
        at: { file: source.path, line: chunk.startLine + inside - 1, column: inside < line ? 1 : column },
        entity: { kind: 'document', name: `${source.path}#${index}` },
        detail: message,
        // A document that is not read as written cannot be suppressed away: the check would then judge
        // another document than the one the deployer applies.
        unsuppressible: true,
        ...(modelled ? {} : { incomplete: '*' }),
      });
    };
    if (source.format === 'json') {
      // JSON must be JSON, not merely YAML that reads like it; js-yaml then adds the duplicate-key check.
      const problem = jsonSyntaxProblem(text);
      if (problem) {
        const mark = problem.positioned ? problem : (yamlErrorMark(text) ?? problem);
        fail(`invalid JSON: ${problem.message}`, mark.line, mark.column);
        return;
      }
    }
    let values: unknown[];
    const load = (lastKeyWins: boolean) =>
      jsYaml.loadAll(text, undefined, {
        schema: jsYaml.CORE_SCHEMA,
        filename: source.path,
        json: lastKeyWins,
      });
    try {
      values = load(false);
    } catch (err) {
      if (err instanceof jsYaml.YAMLException && /duplicated mapping key/.test(err.reason)) {
        // A duplicate key is an error, and the document is still modelled as a deployer's YAML reader applies
        // it (the last key wins), so the access diff shows what merging would grant.
        const mark = err.mark as { line?: number; column?: number } | undefined;
        fail(
          `invalid ${source.format === 'json' ? 'JSON' : 'YAML'}: ${err.reason}: a YAML reader keeps the ` +
            `last one, so the first is silently lost; remove one of them`,
          (mark?.line ?? 0) + 1,
          (mark?.column ?? 0) + 1,
          true,
        );
        values = tryLoad(() => load(true)) ?? [];
      } else {
        if (err instanceof jsYaml.YAMLException) {
          const mark = err.mark as { line?: number; column?: number } | undefined;
          const what = source.format === 'json' ? 'JSON' : 'YAML';
          fail(`invalid ${what}: ${err.reason}`, (mark?.line ?? 0) + 1, (mark?.column ?? 0) + 1);
        } else if (err instanceof RangeError) {
          fail(`the document is nested too deeply to read (over ${MAX_DEPTH} levels)`);
        } else {
          throw err;
        }
        return;
      }
    }
    const value = values.find((v) => v !== null && v !== undefined);
    if (values.length > 1) {
      fail('a document holds more than one YAML document; separate them with `---` at the start of a line');
      return;
    }
    if (value === undefined) return;
    const shape = checkShape(value);
    if (shape.problem) {
      fail(shape.problem);
      return;
    }
    if (!aliases.admit(shape.expansion)) {
      fail(
        `aliases expand this document by ${shape.expansion} nodes, and the documents read before it have ` +
          `used up what aliases may add to one check (${MAX_ALIAS_EXPANSION_PER_RUN} nodes in all); write ` +
          `the values out or use fewer aliases`,
      );
      return;
    }
    docs.push({ file: source.path, doc: index, value, loc: { file: source.path, doc: index, path: [] } });
  });
  return { docs, findings };
}

/**
 * Refuses documents whose aliases expand far beyond their size ("billion laughs") or that nest too deeply.
 * js-yaml shares one object for every use of an anchor, so parsing is cheap; anything that later walks the
 * value (schema validation) would not be. Sizes are memoised per object, so this walk itself stays linear.
 */
function checkShape(root: unknown): { problem?: string; expansion: number } {
  const expandedSize = new Map<object, number>();
  let written = 0; // nodes as they stand in the text
  let reused = 0;
  const visit = (node: unknown, depth: number): number => {
    if (node === null || typeof node !== 'object') {
      written++;
      return 1;
    }
    if (depth > MAX_DEPTH) throw new DepthError();
    const known = expandedSize.get(node);
    if (known !== undefined) {
      reused++;
      return known;
    }
    written++;
    expandedSize.set(node, 1); // guards against cycles, which the core schema cannot produce anyway
    let size = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) size += visit(child, depth + 1);
    expandedSize.set(node, size);
    return size;
  };
  try {
    const total = visit(root, 0);
    const expansion = reused > 0 ? total - written : 0;
    if (expansion > MAX_ALIAS_EXPANSION) {
      const problem =
        `aliases expand this document by ${expansion} nodes, over the limit of ` +
        `${MAX_ALIAS_EXPANSION}; write the values out or use fewer aliases`;
      return { problem, expansion };
    }
    return { expansion };
  } catch (err) {
    if (err instanceof DepthError)
      return { problem: `the document is nested more than ${MAX_DEPTH} levels deep`, expansion: 0 };
    throw err;
  }
}

class DepthError extends Error {}

function tryLoad(read: () => unknown[]): unknown[] | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** JSON.parse's complaint, without the text it echoes, at its position when it gives one. */
function jsonSyntaxProblem(
  text: string,
): { message: string; line: number; column: number; positioned: boolean } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '');
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    const before = text.slice(0, Number(position ?? 0));
    return {
      message,
      line: before.split('\n').length,
      column: before.length - before.lastIndexOf('\n'),
      positioned: position !== undefined,
    };
  }
}

/** Where js-yaml stops reading `text`, for JSON errors that JSON.parse does not place. */
function yamlErrorMark(text: string): { line: number; column: number } | undefined {
  try {
    jsYaml.loadAll(text, undefined, { schema: jsYaml.CORE_SCHEMA });
    return undefined;
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    return mark && { line: mark.line + 1, column: mark.column + 1 };
  }
}
