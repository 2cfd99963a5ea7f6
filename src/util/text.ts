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

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  // For addresses, only the part before `@` tells names apart: a shared domain is no resemblance.
  if (lower.includes('@')) {
    const local = (s: string): string => (s.includes('@') ? s.slice(0, s.indexOf('@')) : s);
    const near = closest(
      local(lower),
      candidates.map((c) => local(c)),
    );
    return near === undefined
      ? undefined
      : candidates.find((c) => local(c).toLowerCase() === near.toLowerCase());
  }
  if (lower.length >= 3) {
    const prefixed = candidates.find((c) => c.toLowerCase().startsWith(lower));
    if (prefixed) return prefixed;
  }
  let best: string | undefined;
  let bound = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    // Lengths that differ by the bound or more cannot be closer: skip them before any work.
    if (Math.abs(c.length - lower.length) >= bound) continue;
    const d = editDistance(lower, c.toLowerCase(), bound);
    if (d < bound) {
      best = c;
      bound = d;
    }
  }
  return best;
}

/** Levenshtein distance, or `bound` as soon as it is known to be at least that (so most candidates stop early). */
function editDistance(a: string, b: string, bound: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin >= bound) return bound;
    prev = cur;
  }
  return prev[b.length];
}
