// `node scripts/bench.js --profile`: one L check under --cpu-prof, and the functions, phases and rules that
// dominate it.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLI, fail, OUT, ROOT, round, runCheck } from './bench-common.js';
import { ensureOrg, verify } from './bench-static.js';

/** Profiles one check of L; `opts.regenerate` as for the static stage. */
export async function profile(opts) {
  const org = ensureOrg('L', opts);
  const dir = join(OUT, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log('bench: profiling one check of L (node --cpu-prof) …');
  const run = await runCheck(join(OUT, 'L'), ['--cpu-prof', '--cpu-prof-dir', dir]);
  if (run.code !== 0) fail(`the check exited with ${run.code}:\n${run.stderr}`);
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) fail(`no .cpuprofile was written to ${relative(ROOT, dir)}`);
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const problems = verify('L', org.counts, org.expected, run.report);
  console.log(
    `bench: wall ${Math.round(run.wallMs)} ms (profiling adds overhead), engine ${run.report.stats.durationMs} ms; ` +
      `profile: ${relative(ROOT, file)}`,
  );

  const bundleLines = readFileSync(CLI, 'utf8').split('\n');
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const keyOf = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || '(anonymous)'}\u0000${url}\u0000${lineNumber}`;
  };
  // Self time per node (sum of the sample intervals that landed in it), then per function.
  const nodeSelf = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    nodeSelf.set(id, (nodeSelf.get(id) ?? 0) + dt);
  });
  const self = new Map();
  for (const [id, ms] of nodeSelf) {
    const k = keyOf(nodes.get(id));
    self.set(k, (self.get(k) ?? 0) + ms);
  }
  // Time of each node with its callees (iterative post-order: parser recursion runs deep).
  const subtree = new Map();
  const stack = [[prof.nodes[0].id, false]];
  while (stack.length > 0) {
    const [id, done] = stack.pop();
    const children = nodes.get(id).children ?? [];
    if (done) {
      subtree.set(
        id,
        children.reduce((sum, c) => sum + subtree.get(c), nodeSelf.get(id) ?? 0),
      );
    } else {
      stack.push([id, true]);
      for (const c of children) stack.push([c, false]);
    }
  }

  /** A bundle function's name with, for a rule's `check`, the rule it belongs to. */
  const describe = (key) => {
    const [name, url, line] = key.split('\u0000');
    const n = Number(line);
    const inBundle = url.endsWith('/dist/cli.js');
    let label = name;
    if (inBundle && name === 'check') {
      const id = bundleLines
        .slice(Math.max(0, n - 6), n + 1)
        .join('\n')
        .match(/id: '(IDC\d+)'/);
      if (id) label = `check [${id[1]}]`;
    }
    let where = url ? url.replace(/^file:\/\//, '') : '';
    if (where) where = `${relative(ROOT, where) || where}:${n + 1}`;
    if (inBundle && name === '(anonymous)') where += `  ${(bundleLines[n] ?? '').trim().slice(0, 60)}`;
    return { label, where };
  };
  const print = (title, entries, base) => {
    console.log(`\n${title}`);
    console.log(`${'ms'.padStart(8)}  ${'%'.padStart(5)}  function  (where)`);
    for (const [k, ms] of entries) {
      const d = describe(k);
      console.log(
        `${ms.toFixed(1).padStart(8)}  ${((ms / base) * 100).toFixed(1).padStart(5)}  ${d.label}  (${d.where})`,
      );
    }
  };
  /** Callees of every node of `name` (in the bundle), grouped by function, with their callees' time. */
  const calleesOf = (match) => {
    const out = new Map();
    let own = 0;
    for (const n of prof.nodes) {
      if (!match(n)) continue;
      own += nodeSelf.get(n.id) ?? 0;
      for (const c of n.children ?? []) {
        const k = keyOf(nodes.get(c));
        out.set(k, (out.get(k) ?? 0) + subtree.get(c));
      }
    }
    return { own, callees: [...out.entries()].sort((a, b) => b[1] - a[1]) };
  };

  console.log(`\nsampled ${round(total)} ms in ${prof.samples.length} samples`);
  print('top 15 functions by self time', [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15), total);
  const inBundle = (n, name) => n.callFrame.functionName === name && n.callFrame.url.endsWith('/dist/cli.js');
  const phases = calleesOf((n) => inBundle(n, 'runCheck'));
  if (phases.callees.length > 0) {
    print(
      `what runCheck spends its time on (callees with their own callees; ${round(phases.own)} ms in runCheck itself)`,
      phases.callees.slice(0, 12),
      total,
    );
  }
  const ruleTime = new Map();
  for (const n of prof.nodes) {
    if (!inBundle(n, 'check')) continue;
    const k = keyOf(n);
    if (!describe(k).label.startsWith('check [')) continue;
    ruleTime.set(k, (ruleTime.get(k) ?? 0) + subtree.get(n.id));
  }
  if (ruleTime.size > 0) {
    print(
      'static rules (each with its callees)',
      [...ruleTime.entries()].sort((a, b) => b[1] - a[1]),
      total,
    );
  }
  if (problems.length > 0) {
    console.error('\nbench: the profiled run did not report exactly the seeded findings:');
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
}
