import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { isKnownLoc, type Loc, type Position } from './location.js';
import type { SourceFile } from './source.js';

export interface LocatedDoc {
  doc: Document;
  lines: LineCounter;
  startLine: number;
}

/**
 * Turns a path into a document into a line and column, lazily.
 *
 * Why lazily: the `yaml` package gives exact positions but parses about ten times slower than js-yaml
 * (measured: 20.6 s against 1.2 s for 33 MB). So every file is parsed on the fast path, and a document is
 * parsed again with positions only when a finding points into it. Findings are few; files are many.
 */
export class Locator {
  private readonly cache = new Map<string, LocatedDoc | null>();
  /** Each map's pairs by key, built once: a finding per key of a 80,000-key map must not scan it each time. */
  private readonly pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  /**
   * `shared`: documents parsed with positions by another run of the same process, by file and text (a pull
   * request's base and head locate findings in the same files).
   */
  constructor(
    private readonly sources: ReadonlyMap<string, SourceFile>,
    private readonly shared?: Map<string, { text: string; located: LocatedDoc | null }>,
  ) {}

  locate(loc: Loc): Position {
    if (isKnownLoc(loc)) return { line: loc.line, column: loc.column };
    const located = this.document(loc.file, loc.doc);
    if (!located) return { line: 1, column: 1 };
    let node: unknown = located.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (let i = 0; i < loc.path.length; i++) {
      const segment = loc.path[i];
      const last = i === loc.path.length - 1;
      if (isMap(node)) {
        const pair = this.pairs(node).get(String(segment));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        const valueStart = rangeStart(pair.value);
        if (last && loc.key) {
          offset = keyStart ?? offset;
          break;
        }
        // A key with no value (`name:`) has no value node: point at the key.
        offset = valueStart ?? keyStart ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    const { line, col } = located.lines.linePos(offset);
    return { line: line + located.startLine - 1, column: col };
  }

  /** The pairs of a map by key; with a duplicate key the last wins, as in the model (parse.ts). */
  private pairs(map: YAMLMap): Map<string, Pair> {
    let index = this.pairIndex.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        const key = isPair(p) ? keyText(p.key) : undefined;
        if (key !== undefined) index.set(key, p);
      }
      this.pairIndex.set(map, index);
    }
    return index;
  }

  private document(file: string, index: number): LocatedDoc | null {
    const cacheKey = `${index}:${file}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const source = this.sources.get(file);
    const chunk = source?.chunks[index];
    const again = source && this.shared?.get(cacheKey);
    if (again && again.text === source.text) {
      this.cache.set(cacheKey, again.located);
      return again.located;
    }
    let located: LocatedDoc | null = null;
    if (source && chunk) {
      const lines = new LineCounter();
      const doc = parseDocument(source.text.slice(chunk.start, chunk.end), {
        lineCounter: lines,
        schema: 'core',
        uniqueKeys: false,
        prettyErrors: false,
      });
      located = { doc, lines, startLine: chunk.startLine };
    }
    this.cache.set(cacheKey, located);
    if (source) this.shared?.set(cacheKey, { text: source.text, located });
    return located;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
