// The static stage's tables (scripts/bench-static.js).
import { mb, TARGET_LINEARITY } from './bench-common.js';

export function printTable(results, fixed) {
  const header = [
    'size',
    'files',
    'MB',
    'entities',
    'runs ms',
    'median ms',
    'engine ms',
    'cpu ms',
    'ms/1k ent',
    'net ms/1k',
    'peak RSS MB',
    'findings',
  ];
  const rows = [header];
  for (const [size, r] of Object.entries(results)) {
    rows.push([
      size,
      String(r.files),
      mb(r.bytes),
      r.entities.toLocaleString('en-US'),
      r.wallMs.map((x) => Math.round(x)).join(' / '),
      String(Math.round(r.medianMs)),
      String(r.engineMs),
      String(Math.round(r.medianCpuMs)),
      r.msPer1kEntities.toFixed(2),
      r.netMsPer1kEntities.toFixed(2),
      r.peakRssMB.toFixed(1),
      Object.entries(r.findingsByRule)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ') || 'none',
    ]);
  }
  rows.push([
    'acme',
    '',
    '',
    '',
    fixed.wallMs.map((x) => Math.round(x)).join(' / '),
    String(Math.round(fixed.medianMs)),
    '',
    String(Math.round(fixed.medianCpuMs)),
    '',
    '',
    fixed.peakRssMB.toFixed(1),
    '(fixed cost: examples/acme)',
  ]);
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) =>
    row
      .map((cell, i) =>
        i === 0 || i === header.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
      )
      .join('  ');
  console.log('');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

export function printLinearity(lin) {
  if (!lin) return;
  console.log('');
  for (const [kind, x] of [
    ['CPU', lin.marginalCpu],
    ['wall', lin.marginalWall],
  ]) {
    console.log(
      `linearity, marginal ${kind} time per 1k entities: S→M ${x.msPer1kSM.toFixed(2)} ms, M→L ${x.msPer1kML.toFixed(2)} ms, ` +
        `ratio ${x.ratio.toFixed(2)} (${x.linear ? 'linear' : 'NOT linear'}: limit ${TARGET_LINEARITY})`,
    );
  }
  for (const [kind, x] of [
    ['raw', lin.perEntityRaw],
    ['net of acme', lin.perEntityNet],
  ]) {
    console.log(
      `per-entity wall time ratios (${kind}): L/M = ${x.lOverM.toFixed(2)}, M/S = ${x.mOverS.toFixed(2)} ` +
        `(L/M ${x.withinTarget ? '≤' : '>'} ${TARGET_LINEARITY} × M/S = ${(TARGET_LINEARITY * x.mOverS).toFixed(2)})`,
    );
  }
}
