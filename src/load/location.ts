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

/** The location of a child of `loc` (a key or index below it). A known position has no children. */
export function childLoc(loc: Loc, ...segments: PathSegment[]): Loc {
  if (isKnownLoc(loc)) return loc;
  return { file: loc.file, doc: loc.doc, path: [...loc.path, ...segments] };
}

/** The location of the key that ends `segments` below `loc`, for findings about a property itself. */
export function keyLoc(loc: Loc, ...segments: PathSegment[]): Loc {
  if (isKnownLoc(loc)) return loc;
  return { file: loc.file, doc: loc.doc, path: [...loc.path, ...segments], key: true };
}

export function fileStart(file: string): KnownLoc {
  return { file, line: 1, column: 1 };
}
