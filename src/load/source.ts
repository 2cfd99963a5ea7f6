import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RawFinding, ToolError } from '../findings/types.js';
import { fileStart } from './location.js';

export type SourceFormat = 'yaml' | 'json';

/**
 * A part of a YAML file from one `---` marker to the next, parsed on its own so one bad document hides no
 * other.
 */
export interface Chunk {
  /** 1-based line at which the chunk starts. */
  startLine: number;
  start: number;
  end: number;
}

export interface SourceFile {
  path: string;
  absPath: string;
  format: SourceFormat;
  text: string;
  chunks: Chunk[];
}

export type ReadResult = { source: SourceFile } | { finding: RawFinding } | { error: ToolError };

const BINARY_SNIFF_BYTES = 8192;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads one discovered file, refusing files over the size cap and files that are not UTF-8 text. */
export function readSource(root: string, path: string, maxBytes: number): ReadResult {
  const absPath = join(root, path);
  const refuse = (message: string): ReadResult => ({
    finding: {
      ruleId: 'IDC001',
      message,
      at: fileStart(path),
      entity: { kind: 'file', name: path },
      unsuppressible: true,
      incomplete: '*',
    },
  });
  let bytes: Buffer;
  try {
    const size = statSync(absPath).size;
    if (size > maxBytes) {
      return refuse(
        `${path} is ${size} bytes, over the limit of ${maxBytes} bytes (params.maxFileBytes); split it ` +
          `into smaller files`,
      );
    }
    bytes = readFileSync(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return { error: { source: 'filesystem', file: path, message: `cannot read ${path}: ${code}` } };
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return refuse(
      `${path} is a binary file, not YAML or JSON text; remove it or exclude it in .idc-guard.yml`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return refuse(`${path} is not valid UTF-8 text; save it as UTF-8`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const format: SourceFormat = path.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
  const chunks = format === 'json' ? [{ startLine: 1, start: 0, end: text.length }] : splitDocuments(text);
  return { source: { path, absPath, format, text, chunks } };
}

/**
 * Splits a YAML stream at its `---` document markers (a marker starts a line and is followed by space or the
 * end).
 */
export function splitDocuments(text: string): Chunk[] {
  const starts = [0];
  for (const m of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) if (m.index > 0) starts.push(m.index);
  const chunks: Chunk[] = [];
  let startLine = 1;
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    chunks.push({ startLine, start, end });
    startLine += countLines(text, start, end);
  });
  return chunks;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
