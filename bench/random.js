// The seeded random stream both generated organisations draw from (the same seed gives the same bytes).

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The draws the generators make, all from one mulberry32 stream. */
export function randomDraws(seed) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n); // 0 .. n-1
  const between = (lo, hi) => lo + int(hi - lo + 1);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rand() < p;
  /** k distinct indices in [0, n). */
  const sample = (n, k) => {
    const chosen = new Set();
    while (chosen.size < Math.min(k, n)) chosen.add(int(n));
    return [...chosen];
  };
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  return { rand, int, between, pick, chance, sample, hex };
}
