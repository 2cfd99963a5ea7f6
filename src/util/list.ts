/**
 * `target.push(...items)` without spreading: a spread passes every item as an argument, and a file with a
 * few hundred thousand findings overflows the stack that way.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
