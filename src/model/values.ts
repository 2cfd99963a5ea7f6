import { childLoc, type Loc } from '../load/location.js';
import { asList } from './untrusted.js';
import type { Located, Validity } from './types.js';

// Located values and validity: what every builder of a declared entity (build.ts and its parts) uses.

/** The strings of a list; `rejected` says which items (by index as written) the schema rejects. */
export function strings(list: unknown, at: Loc, rejected?: (i: number) => boolean): Located[] {
  const out: Located[] = [];
  asList(list).forEach((v, i) => {
    if (typeof v !== 'string') return;
    out.push(
      rejected?.(i) ? { value: v, at: childLoc(at, i), invalid: true } : { value: v, at: childLoc(at, i) },
    );
  });
  return out;
}

export function located(v: unknown, at: Loc): Located | undefined {
  return typeof v === 'string' ? { value: v, at } : undefined;
}

export const VALID: Validity = { invalid: false, invalidParts: new Set() };

/** Whether an entity breaks its schema, and where. */
export function validityOf(parts: ReadonlySet<string> | undefined): Validity {
  return parts ? { invalid: true, invalidParts: parts } : VALID;
}

/**
 * Whether the schema rejects `field` of the entity, or a part of it (`accounts/0`), or the entity as a whole.
 */
export function isPartInvalid(entity: Validity, field: string): boolean {
  if (!entity.invalid) return false;
  for (const part of entity.invalidParts)
    if (part === '' || part === field || part.startsWith(`${field}/`)) return true;
  return false;
}

/** A located value, marked when the schema rejects it (`part`: its path relative to the entity). */
export function mark<T extends Located<unknown>>(value: T, v: Validity, part: string): T {
  return v.invalid && v.invalidParts.has(part) ? { ...value, invalid: true } : value;
}
