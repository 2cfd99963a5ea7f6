import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The directory of the idc-guard product itself (where `schemas/` and `policies/` live), found by walking up
 * from this module. Schemas and built-in policies always come from here, never from the repository under
 * check, so a pull request cannot weaken the rules it is checked against.
 */
export function productRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(join(dir, 'schemas'))) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'idc-guard') return (cachedRoot = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the idc-guard installation (schemas/ and policies/)');
    dir = parent;
  }
}

export function productVersion(): string {
  return (JSON.parse(readFileSync(join(productRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** Where the product's source lives; rule documentation links point into it. */
export const PRODUCT_REPOSITORY = 'https://github.com/idc-guard/idc-guard';

/**
 * A built-in rule's documentation at the release that is running (its tag, not `main`, so a link never shows
 * a rule as a later release changed it).
 */
export function builtinRuleDocUrl(id: string): string {
  return `${PRODUCT_REPOSITORY}/blob/v${productVersion()}/docs/rules.md#${id.toLowerCase()}`;
}
