/**
 * "Did you mean" suggestions whose cost is bounded per run, not per reference: comparing every undeclared
 * reference with every declared name is quadratic (16,000 references against 16,000 groups took minutes).
 * An index per candidate list finds prefixes by binary search and compares only names of a near length;
 * answers are remembered per word; and every comparison is charged to one budget shared by the run, after
 * which references get no suggestion (their findings are unchanged).
 */

/**
 * Comparison work (characters and edit-distance cells, 8-11 ns each) a run may spend on suggestions: at most
 * about a second. One word against 50,000 names of its length costs 1-5 million, so a normal repository's
 * typos all get their suggestion.
 */
export const SUGGESTION_BUDGET = 100_000_000;
/** What one word may spend, so that one pathological word leaves the budget to the others. */
export const SUGGESTION_BUDGET_PER_WORD = 10_000_000;

export class SuggestionBudget {
  constructor(
    public remaining = SUGGESTION_BUDGET,
    readonly perWord = SUGGESTION_BUDGET_PER_WORD,
  ) {}

  /** How much of the budget one word may still spend. */
  allowance(): number {
    return Math.min(this.remaining, this.perWord);
  }

  spend(cost: number): void {
    this.remaining = Math.max(0, this.remaining - cost);
  }
}

interface Entry {
  /** What is compared: the lower-cased name (for an address index, its local part). */
  key: string;
  name: string;
  /** Position in the candidate list: among equally close names the first one wins. */
  order: number;
}

const localPart = (s: string): string => (s.includes('@') ? s.slice(0, s.indexOf('@')) : s);

/** The candidates of one kind (group names, userNames, …), indexed for `closest`. */
export class NameIndex {
  private readonly sorted: Entry[];
  private readonly byLength = new Map<number, Entry[]>();
  private readonly memo = new Map<string, string | undefined>();
  private locals?: NameIndex;
  private viewOfLocals?: NameIndex;
  private readonly names: string[];

  constructor(
    names: Iterable<string>,
    private readonly budget = new SuggestionBudget(),
    keyOf = (name: string): string => name.toLowerCase(),
    /** Another index of the same names, whose sorted entries this one shares (see withBudget). */
    private readonly origin?: NameIndex,
  ) {
    if (origin) {
      this.names = origin.names;
      this.byLength = origin.byLength;
      this.sorted = origin.sorted;
      return;
    }
    this.names = [...names];
    const entries = this.names.map((name, order) => ({ key: keyOf(name), name, order }));
    for (const e of entries) {
      const bucket = this.byLength.get(e.key.length);
      if (bucket) bucket.push(e);
      else this.byLength.set(e.key.length, [e]);
    }
    this.sorted = entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.order - b.order));
  }

  /**
   * The same index charging another run's budget, with answers of its own: building an index of 50,000 names
   * costs a third of a second, and a pull request's base and head have mostly the same names.
   */
  withBudget(budget: SuggestionBudget): NameIndex {
    return new NameIndex([], budget, undefined, this);
  }

  /** The index of the addresses' local parts, built once per set of names. */
  private localIndex(): NameIndex {
    if (this.origin) return this.origin.localIndex().withBudget(this.budget);
    this.locals ??= new NameIndex(this.names, this.budget, (name) => localPart(name).toLowerCase());
    return this.locals;
  }

  /**
   * Answers worked out in full (not cut short by a budget), shared by every view of the same names: a pull
   * request's head asks what its base asked, and an answer costs nothing the second time.
   */
  private readonly complete = new Map<string, string | undefined>();

  /** The candidate closest to `word`, if it is close enough to be a likely typo. */
  closest(word: string): string | undefined {
    if (this.memo.has(word)) return this.memo.get(word);
    const shared = (this.origin ?? this).complete;
    if (shared.has(word)) return shared.get(word);
    const before = this.budget.remaining;
    const allowance = this.budget.allowance();
    const near = this.search(word);
    this.memo.set(word, near);
    if (before - this.budget.remaining < allowance) shared.set(word, near);
    return near;
  }

  /**
   * The candidate nearest to `word` by spelling alone, for names that share long prefixes by design (IAM's
   * `ListUsers`, `ListUserPolicies`): a typo of one should not suggest another that merely starts like it.
   */
  closestSpelling(word: string): string | undefined {
    const key = `\u0000${word}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const near = this.search(word, false);
    this.memo.set(key, near);
    return near;
  }

  private search(word: string, prefixes = true): string | undefined {
    const lower = word.toLowerCase();
    // For addresses, only the part before `@` tells names apart: a shared domain is no resemblance.
    if (lower.includes('@')) {
      this.viewOfLocals ??= this.localIndex();
      return this.viewOfLocals.closest(localPart(lower));
    }
    const started = work;
    const allowance = this.budget.allowance();
    try {
      if (prefixes && lower.length >= 3) {
        const prefixed = this.firstWithPrefix(lower, started + allowance);
        if (prefixed !== null) return prefixed;
      }
      return this.nearest(lower, Math.max(2, Math.floor(word.length / 3)) + 1, started + allowance);
    } finally {
      this.budget.spend(work - started);
    }
  }

  /**
   * The first candidate (in list order) at the smallest distance under `limit`. Only lengths that differ by
   * less than the bound can be closer; nearer lengths first, so the bound tightens early. Undefined when the
   * work would pass `stop`: a suggestion is never guessed from part of the candidates.
   */
  private nearest(lower: string, limit: number, stop: number): string | undefined {
    let best: Entry | undefined;
    let bestDistance = limit;
    for (let delta = 0; delta < limit && delta <= bestDistance; delta++) {
      for (const length of delta === 0 ? [lower.length] : [lower.length - delta, lower.length + delta]) {
        for (const e of this.byLength.get(length) ?? []) {
          // What the comparison may cost at most (its rows times its band): long names stop before, not
          // after.
          if (work + lower.length * Math.min(e.key.length, 2 * bestDistance + 1) >= stop) return undefined;
          // Bound one past the best so far: an equally close candidate earlier in the list still wins.
          const d = editDistance(lower, e.key, bestDistance + 1);
          if (d < limit && (d < bestDistance || (d === bestDistance && best && e.order < best.order))) {
            best = e;
            bestDistance = d;
          }
        }
      }
    }
    return best?.name;
  }

  /**
   * The first candidate (in list order) whose key starts with `prefix`: they are adjacent in sorted order.
   * Null when there is none; undefined when finding it would pass `stop`.
   */
  private firstWithPrefix(prefix: string, stop: number): string | undefined | null {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].key < prefix) lo = mid + 1;
      else hi = mid;
    }
    let first: Entry | undefined;
    for (let i = lo; i < this.sorted.length && this.sorted[i].key.startsWith(prefix); i++) {
      if (++work >= stop) return undefined;
      if (!first || this.sorted[i].order < first.order) first = this.sorted[i];
    }
    return first ? first.name : null;
  }
}

/** Characters and cells compared since the process started: what suggestions are charged. */
let work = 0;
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein distance, or `bound` when it is at least that. Common prefixes and suffixes are compared once
 * (declared names share most of theirs: `aws-team-…-admins`), then only the band of cells that can stay under
 * the bound is computed, and the computation stops as soon as a whole row reaches it.
 */
export function editDistance(a: string, b: string, bound: number): number {
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  work += 1 + start + (a.length - endA);
  const n = endA - start;
  const m = endB - start;
  if (Math.abs(n - m) >= bound) return bound;
  if (n === 0 || m === 0) return Math.min(n + m, bound);
  if (rowA.length < m + 2) {
    rowA = new Int32Array(m * 2 + 2);
    rowB = new Int32Array(m * 2 + 2);
  }
  let prev = rowA;
  let cur = rowB;
  // A cell off the diagonal by `bound` or more is at least `bound`: it is held at `bound`, never computed.
  for (let j = 0; j <= m; j++) prev[j] = j < bound ? j : bound;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - bound + 1);
    const hi = Math.min(m, i + bound - 1);
    cur[lo - 1] = lo === 1 ? Math.min(i, bound) : bound;
    let rowMin = cur[lo - 1];
    const ca = a.charCodeAt(start + i - 1);
    for (let j = lo; j <= hi; j++) {
      let v = prev[j - 1] + (ca === b.charCodeAt(start + j - 1) ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (v > bound) v = bound;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < m) cur[hi + 1] = bound;
    work += hi - lo + 1;
    if (rowMin >= bound) return bound;
    const done = prev;
    prev = cur;
    cur = done;
  }
  return Math.min(prev[m], bound);
}

/**
 * The index of a list of names, built once for runs that have the same list (a pull request's base and head),
 * each run charging its own budget. A few lists are kept, the most recent ones.
 */
export function indexOf(names: readonly string[], budget: SuggestionBudget): NameIndex {
  const key = names.join('\u0000');
  let index = recent.get(key);
  if (!index) {
    index = new NameIndex(names);
    recent.set(key, index);
    if (recent.size > RECENT_INDEXES) recent.delete(recent.keys().next().value!);
  }
  return index.withBudget(budget);
}

const RECENT_INDEXES = 8;
const recent = new Map<string, NameIndex>();
