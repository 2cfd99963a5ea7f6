/**
 * `record[key]` for a key that comes from a file or from AWS: only the record's own properties, so a name
 * like `constructor`, `toString` or `__proto__` never reaches Object.prototype.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * An empty record for keys from a file or from AWS: with no prototype, `__proto__` is a key like any other.
 */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
