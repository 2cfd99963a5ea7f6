import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A file's lines under the checked folder, read once each, for the terminal's excerpts; none if unreadable. */
export function sourceLines(root: string): (file: string, line: number) => string | undefined {
  const files = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!files.has(file)) {
      const path = join(root, file);
      const size = statSync(path, { throwIfNoEntry: false })?.size ?? Infinity;
      files.set(file, size <= MAX_EXCERPT_FILE_BYTES ? readFileSync(path, 'utf8').split(/\r?\n/) : undefined);
    }
    return files.get(file)?.[line - 1];
  };
}

const MAX_EXCERPT_FILE_BYTES = 10 * 1024 * 1024;
