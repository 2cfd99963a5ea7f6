// Types of bench/hostile.js, for test/bounded.test.ts.
export interface HostileInput<E> {
  files: Record<string, string>;
  expect: E;
}
export function undeclaredReferences(
  count: number,
): HostileInput<{ ruleId: string; file: string; firstLine: number; count: number }>;
export function aliasedDocuments(
  count: number,
  options?: { bad?: boolean },
): HostileInput<{ ruleId: string; file: string; admitted: number; refusedLines: number[] }>;
export function badEntries(
  count: number,
  kind?: 'assignments' | 'groups',
): HostileInput<{ ruleId: string; file: string; firstLine: number; count: number }>;
export function deepEntraExpression(
  depth: number,
): HostileInput<{ ruleId: string; file: string; line: number }>;
