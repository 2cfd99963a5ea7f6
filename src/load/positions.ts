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
import { isKnownLoc, type Loc, type PathLoc, type Position } from './location.js';
import type { SourceFile } from './source.js';
import { outlineSequence, type SequenceOutline } from './windowed.js';

/** Where the nodes of one YAML document are: a path to a line and column. */
export interface DocPositions {
  locate(loc: PathLoc): Position;
  /** Whether `loc` may be at one of `lines` (false only when that is known without parsing). */
  mayBeAt(loc: PathLoc, lines: readonly number[]): boolean;
}

/** When a document is read by windows of items (windowed.ts). */
export interface Windowing {
  /** Documents at least this large are read by windows when their shape allows. */
  minChars: number;
  /** Items per window: a window is parsed when a finding points into it. */
  items: number;
}

const WINDOWING: Windowing = { minChars: 256 * 1024, items: 512 };
/** Windows kept parsed per document: findings are located in rule order, which is mostly file order. */
const WINDOWS_KEPT = 8;

/**
 * Turns a path into a document into a line and column, lazily.
 *
 * Why lazily: the `yaml` package gives exact positions but parses about ten times slower than js-yaml
 * (measured: 20.6 s against 1.2 s for 33 MB). So every file is parsed on the fast path, and a document is
 * parsed again with positions only when a finding points into it. Findings are few; files are many.
 */
export class Locator {
  private readonly cache = new Map<string, DocPositions | null>();
  /** Characters parsed with positions so far, for tests and the benchmark: the work this locator did. */
  get parsedChars(): number {
    return this.counter.chars;
  }
  private readonly counter = { chars: 0 };

  /**
   * `shared`: documents parsed with positions by another run of the same process, by file and text (a pull
   * request's base and head locate findings in the same files).
   */
  constructor(
    private readonly sources: ReadonlyMap<string, SourceFile>,
    private readonly shared?: Map<string, { text: string; located: DocPositions | null }>,
    private readonly windowing: Windowing = WINDOWING,
  ) {}

  locate(loc: Loc): Position {
    if (isKnownLoc(loc)) return { line: loc.line, column: loc.column };
    return this.document(loc.file, loc.doc)?.locate(loc) ?? { line: 1, column: 1 };
  }

  /**
   * Whether `loc` may be at one of `lines` (sorted), answered without a parse where the document is read by
   * windows: a file's few suppression comments must not cost a parse of all of it.
   */
  mayBeAt(loc: Loc, lines: readonly number[]): boolean {
    if (isKnownLoc(loc)) return lines.includes(loc.line);
    return this.document(loc.file, loc.doc)?.mayBeAt(loc, lines) ?? true;
  }

  private document(file: string, index: number): DocPositions | null {
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
    let located: DocPositions | null = null;
    if (source && chunk) {
      const text = source.text.slice(chunk.start, chunk.end);
      const { minChars, items } = this.windowing;
      const outline = text.length >= minChars ? outlineSequence(text, items * 2) : undefined;
      located = outline
        ? new WindowedDocument(text, chunk.startLine, outline, items, this.counter)
        : new WholeDocument(text, chunk.startLine, this.counter);
    }
    this.cache.set(cacheKey, located);
    if (source) this.shared?.set(cacheKey, { text: source.text, located });
    return located;
  }
}

/** A document parsed whole with positions. `offset` and `lines` say where its text starts in the file. */
class WholeDocument implements DocPositions {
  private readonly lines = new LineCounter();
  private readonly doc: Document;
  /**
   * Each map's pairs by key, built once: a finding per key of a 80,000-key map must not scan it each time.
   */
  private readonly pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    text: string,
    private readonly startLine: number,
    counter: { chars: number },
  ) {
    counter.chars += text.length;
    this.doc = parseDocument(text, {
      lineCounter: this.lines,
      schema: 'core',
      uniqueKeys: false,
      prettyErrors: false,
    });
  }

  mayBeAt(): boolean {
    return true;
  }

  /** Whether the text parsed as YAML without errors, as a sequence of `items` items when that is given. */
  isCleanSequence(items: number): boolean {
    return (
      this.doc.errors.length === 0 && isSeq(this.doc.contents) && this.doc.contents.items.length === items
    );
  }

  locate(
    loc: PathLoc,
    from: { node: unknown; depth: number } = { node: this.doc.contents, depth: 0 },
  ): Position {
    const path = loc.path;
    let node = from.node;
    let offset = rangeStart(node) ?? 0;
    for (let i = from.depth; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
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
    const { line, col } = this.lines.linePos(offset);
    return { line: line + this.startLine - 1, column: col };
  }

  /** The item of a top-level sequence (for windows). */
  item(index: number): unknown {
    return isSeq(this.doc.contents) ? this.doc.contents.items[index] : undefined;
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
}

/**
 * A large document whose bulk is one block sequence (see windowed.ts), located by parsing only the window of
 * items a path points into, and the rest of the document without the sequence's items. Gives the positions a
 * whole parse gives; where a window does not parse cleanly on its own (an alias to an earlier item's anchor,
 * say), the whole document is parsed after all.
 */
class WindowedDocument implements DocPositions {
  private readonly windows = new Map<number, WholeDocument>();
  private skeleton?: WholeDocument;
  private whole?: WholeDocument;
  /** 0-based line of each item's start within the document, computed as windows need it. */
  private readonly lineOfItem = new Map<number, number>();

  constructor(
    private readonly text: string,
    private readonly startLine: number,
    private readonly outline: SequenceOutline,
    private readonly windowItems: number,
    private readonly counter: { chars: number },
  ) {}

  locate(loc: PathLoc): Position {
    if (this.whole) return this.whole.locate(loc);
    const { key, itemStarts } = this.outline;
    const path = loc.path;
    if (path[0] !== key) return this.headAndTail().locate(loc);
    if (path.length === 1) {
      // The key itself, or its value: the sequence, which starts at the first item's `-`.
      if (loc.key) return this.headAndTail().locate(loc);
      return this.position(itemStarts[0] + this.outline.indent);
    }
    const index = path[1];
    if (typeof index !== 'number' || index >= itemStarts.length) return this.parseWhole().locate(loc);
    const first = index - (index % this.windowItems);
    const window = this.window(first);
    if (!window) return this.parseWhole().locate(loc);
    return window.locate(loc, { node: window.item(index - first), depth: 2 });
  }

  mayBeAt(loc: PathLoc, lines: readonly number[]): boolean {
    const index = loc.path[1];
    const { itemStarts } = this.outline;
    if (this.whole || loc.path[0] !== this.outline.key || typeof index !== 'number') return true;
    if (index >= itemStarts.length || loc.path.length < 2) return true;
    const first = index - (index % this.windowItems);
    const next = first + this.windowItems;
    const from = this.startLine + this.lineAt(first);
    const to = next < itemStarts.length ? this.startLine + this.lineAt(next) : Number.POSITIVE_INFINITY;
    return lines.some((line) => line >= from && line < to);
  }

  private window(first: number): WholeDocument | undefined {
    let window = this.windows.get(first);
    if (window) return window;
    const { itemStarts, end } = this.outline;
    const last = Math.min(first + this.windowItems, itemStarts.length);
    const start = itemStarts[first];
    const stop = last < itemStarts.length ? itemStarts[last] : end;
    // The window starts at a line start, so columns are the document's; its lines count from that line.
    const lineBefore = this.lineAt(first);
    window = new WholeDocument(this.text.slice(start, stop), this.startLine + lineBefore, this.counter);
    if (!window.isCleanSequence(last - first)) return undefined;
    if (this.windows.size >= WINDOWS_KEPT) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(first, window);
    return window;
  }

  /** The document with the sequence's items left out: for the paths that do not go into an item. */
  private headAndTail(): WholeDocument {
    if (this.skeleton) return this.skeleton;
    const { itemStarts, end } = this.outline;
    const removed = this.text.slice(itemStarts[0], end);
    // Each removed line stays as an empty line, so that lines and columns after the sequence do not move.
    const blankLines = removed.replace(/[^\n]/g, '');
    return (this.skeleton = new WholeDocument(
      this.text.slice(0, itemStarts[0]) + blankLines + this.text.slice(end),
      this.startLine,
      this.counter,
    ));
  }

  private parseWhole(): WholeDocument {
    this.windows.clear();
    return (this.whole ??= new WholeDocument(this.text, this.startLine, this.counter));
  }

  /** The 0-based line within the document where item `index` starts (counted once per window start). */
  private lineAt(index: number): number {
    const known = this.lineOfItem.get(index);
    if (known !== undefined) return known;
    // Count from the nearest earlier item whose line is known, else from the document's start.
    let start = 0;
    let line = 0;
    let nearest = -1;
    for (const [i, l] of this.lineOfItem)
      if (i < index && i > nearest) [nearest, start, line] = [i, this.outline.itemStarts[i], l];
    line += countNewlines(this.text, start, this.outline.itemStarts[index]);
    this.lineOfItem.set(index, line);
    return line;
  }

  /** Line and column of an offset into the document. */
  private position(offset: number): Position {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    return {
      line: this.startLine + countNewlines(this.text, 0, lineStart),
      column: offset - lineStart + 1,
    };
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
