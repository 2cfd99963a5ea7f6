/** Steps taken by globMatch since the process started: what pattern matching is charged. */
let steps = 0;

export const globSteps = (): number => steps;

/**
 * Whether `text` matches the IAM wildcard `pattern` (`*` any run of characters, `?` one), without case. A greedy
 * match that backs up only to the last `*`: at most |text| × |text| + |pattern| steps, where a RegExp made of a
 * pattern with many `*` backtracks exponentially on a text it does not match.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const s = text.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    steps++;
    if (i < p.length && (p[i] === '?' || p[i] === s[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star !== -1) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  steps += i;
  return i === p.length;
}
