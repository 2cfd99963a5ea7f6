/**
 * Reading documents that may break their schema (the model builder and the IdP importers): a value is taken
 * as what it claims to be only after a look, and anything else is treated as absent.
 */
export type Fields = Record<string, unknown>;

/** A mapping's fields, or undefined for anything that is not a mapping (a list, a scalar, null). */
export const asFields = (v: unknown): Fields | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : undefined;

/** A list's items, or none. */
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
