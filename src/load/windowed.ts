/**
 * The outline of a large YAML document whose bulk is one block sequence under a top-level key, the shape of
 * every idc-guard declaration file (`groups:`, `users:`, `assignments:`). Found by a scan of its lines, so
 * that positions can be taken by parsing a window of items rather than the whole document: the `yaml` package
 * holds about 75 bytes of syntax tree per byte of input (a 10 MB file: 5 s and 850 MB).
 */
export interface SequenceOutline {
  /** The top-level key that holds the sequence. */
  key: string;
  /** The column of each item's `-`. */
  indent: number;
  /** Offset (in the document) of each item's line, and of the line after the last item's text. */
  itemStarts: number[];
  end: number;
  /** Offset of the key's line: the text before it is the document's head. */
  keyLineStart: number;
}

const TOP_LEVEL_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):[ \t]*(?:#.*)?$/;

/**
 * Scans a document for a top-level `key:` line followed by block-sequence items at one indentation. A line at
 * exactly that indentation that starts with `- ` can only be an item of that sequence (block scalars, flow
 * collections and multi-line scalars inside an item are indented further), so the scan needs no parser. Where
 * the text is not so simple the caller's check of a parsed window catches it and the whole document is
 * parsed.
 */
export function outlineSequence(text: string, minItems: number): SequenceOutline | undefined {
  let best: SequenceOutline | undefined;
  let lineStart = 0;
  let current: SequenceOutline | undefined;
  let pendingKey: { key: string; lineStart: number } | undefined;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '' || line.trimStart().startsWith('#');
    const item = line.startsWith('-', indent) && (line.length === indent + 1 || line[indent + 1] === ' ');
    if (current) {
      if (blank || indent > current.indent || line[0] === '\t') {
        // Inside the current item.
      } else if (indent === current.indent && item) {
        current.itemStarts.push(lineStart);
      } else {
        current.end = lineStart;
        if (!best || current.itemStarts.length > best.itemStarts.length) best = current;
        current = undefined;
      }
    }
    if (!current && !blank) {
      if (pendingKey && item) {
        current = {
          key: pendingKey.key,
          indent,
          itemStarts: [lineStart],
          end: text.length,
          keyLineStart: pendingKey.lineStart,
        };
        pendingKey = undefined;
      } else {
        const key = indent === 0 ? TOP_LEVEL_KEY.exec(line)?.[1] : undefined;
        pendingKey = key ? { key, lineStart } : undefined;
      }
    }
    lineStart = lineEnd + 1;
  }
  if (current && (!best || current.itemStarts.length > best.itemStarts.length)) best = current;
  return best && best.itemStarts.length >= minItems ? best : undefined;
}
