// The live-read benchmark (scripts/bench-live.js): small helpers.

export function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** A double-quoted YAML scalar (JSON's escaping is valid YAML). */
export function q(s) {
  return JSON.stringify(s);
}

export function chunks(xs, n) {
  const out = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

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

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
