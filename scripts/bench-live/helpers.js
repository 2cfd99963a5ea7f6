// The live-read benchmark (scripts/bench-live.js): small helpers.

export function countBy(xs) {
  const out = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return sortKeys(out);
}

export function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function num(n) {
  return n === undefined ? '' : n.toLocaleString('en-US');
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
