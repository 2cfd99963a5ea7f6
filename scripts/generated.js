/**
 * Writes generated source files formatted as the repository formats them. With `--check` on the command line
 * (part of `npm run lint`) it writes nothing and fails when a committed file differs from what would be written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {[string, string][]} files repository-relative path and text @param {string} script the generator */
export async function writeGenerated(files, script) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, text] of files) {
    const path = join(ROOT, file);
    const options = (await prettier.resolveConfig(path)) ?? {};
    const formatted = await prettier.format(text, { ...options, filepath: path });
    if (!check) {
      writeFileSync(path, formatted);
      console.log(`wrote ${file}`);
    } else if (!existsSync(path) || readFileSync(path, 'utf8') !== formatted) stale.push(file);
  }
  if (stale.length > 0) {
    console.error(`${stale.join(', ')}: not what ${script} generates; run it and commit.`);
    process.exit(1);
  }
}
