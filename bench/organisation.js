// The parts both generated organisations are built from (bench/generate.js writes the static one with its
// planted findings, bench/live-org.js the one seeded into the server), and the writer of their files. Each
// part draws from the caller's stream in a fixed order, so a seed gives the same organisation every time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  BASE_SETS,
  DOMAINS,
  ENVS,
  FAMILY,
  GIVEN,
  GROUP_ROLES,
  pad,
  PS_ROLES,
  userNameFor,
} from './vocabulary.js';

/** `n` accounts with distinct 12-digit IDs, aliased `<domain>-<env>-NNNN`. */
export function generateAccounts(draw, n) {
  const accounts = [];
  const usedIds = new Set();
  for (let i = 0; i < n; i++) {
    let id;
    do id = Array.from({ length: 12 }, () => draw.int(10)).join('');
    while (usedIds.has(id));
    usedIds.add(id);
    const domain = DOMAINS[i % DOMAINS.length];
    const env = ENVS[Math.floor(i / DOMAINS.length) % ENVS.length];
    accounts.push({ alias: `${domain}-${env}-${pad(i, 4)}`, id, domain });
  }
  return accounts;
}

/** `n` permission set names: the organisation-wide sets first, then shuffled `<Role>-<domain>` team sets. */
export function permissionSetNames(draw, n) {
  const combos = [];
  for (const role of PS_ROLES) for (const domain of DOMAINS) combos.push(`${role}-${domain}`);
  for (let i = combos.length - 1; i > 0; i--) {
    const j = draw.int(i + 1);
    [combos[i], combos[j]] = [combos[j], combos[i]];
  }
  return [...BASE_SETS, ...combos].slice(0, n);
}

/** A user's names, its userName unique among those in `used`. */
export function drawUser(draw, used) {
  const given = draw.pick(GIVEN);
  const family = draw.pick(FAMILY);
  return { given, family, userName: userNameFor(used, given, family) };
}

/** The `i`th group's team, role and name. */
export function drawGroup(draw, i) {
  const domain = draw.pick(DOMAINS);
  const role = draw.pick(GROUP_ROLES);
  return { domain, role, name: `aws-${domain}-${role}-${pad(i, 5)}` };
}

/** Writes `files` (relative path → lines) under `root`; returns the bytes written. */
export function writeFiles(root, files) {
  let bytes = 0;
  const made = new Set();
  for (const [path, lines] of files) {
    const abs = join(root, path);
    const parent = dirname(abs);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    const text = `${lines.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    writeFileSync(abs, text);
  }
  return bytes;
}
