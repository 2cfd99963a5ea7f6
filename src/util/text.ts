import { NameIndex } from './suggest.js';

/** Shortens a value from a file for use inside a message; reporters escape it later. */
export function quote(value: unknown, max = 80): string {
  let text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  return `"${text}"`;
}

/** A path like `groups[3].members.users[0]`. */
export function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out || '(document)';
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo (see NameIndex for many words).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return new NameIndex(candidates).closest(word);
}
