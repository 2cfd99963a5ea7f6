/** A segment of a path into a parsed document: a mapping key or a sequence index. */
export type PathSegment = string | number;

/**
 * Where something is. Either a position the parser already knows (parse errors), or a path into a
 * document that is turned into a line and column only when a finding needs it (see positions.ts).
 */
export type Loc = KnownLoc | PathLoc;

export interface KnownLoc {
  file: string;
  line: number;
  column: number;
}

export interface PathLoc {
  file: string;
  /** Index of the YAML document in its file (0 for JSON). */
  doc: number;
  path: PathSegment[];
  /** Point at the mapping key of the last segment rather than at its value. */
  key?: boolean;
}

export interface Position {
  line: number;
  column: number;
}

export function isKnownLoc(loc: Loc): loc is KnownLoc {
  return (loc as KnownLoc).line !== undefined;
}

/**
 * A location below another, whose path is put together only when asked for. A model holds hundreds of
 * thousands of these (one per group member), so each is two references rather than a copied path.
 */
class ChildLoc implements PathLoc {
  readonly file: string;
  readonly doc: number;
  constructor(
    private readonly parent: PathLoc,
    private readonly segments: PathSegment[],
    readonly key?: boolean,
  ) {
    this.file = parent.file;
    this.doc = parent.doc;
  }

  get path(): PathSegment[] {
    return [...this.parent.path, ...this.segments];
  }
}

/** The location of a child of `loc` (a key or index below it). A known position has no children. */
export function childLoc(loc: Loc, ...segments: PathSegment[]): Loc {
  if (isKnownLoc(loc)) return loc;
  return new ChildLoc(loc, segments);
}

/** The location of the key that ends `segments` below `loc`, for findings about a property itself. */
export function keyLoc(loc: Loc, ...segments: PathSegment[]): Loc {
  if (isKnownLoc(loc)) return loc;
  return new ChildLoc(loc, segments, true);
}

export function fileStart(file: string): KnownLoc {
  return { file, line: 1, column: 1 };
}
