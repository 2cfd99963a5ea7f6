import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles, importsOf, importsUnder, layerBreaks, type Allowed, type Import } from './layers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Imports allowed to break the layers or close a cycle, each with why: none today. An entry must name a
// real import (a stale entry fails the last test below), so the list can only shrink.
const ALLOWED: Allowed[] = [];

const imports = importsUnder(root);
const imp = (from: string, to: string, typeOnly = false): Import => ({ from, to, typeOnly });

describe('layer lint', () => {
  it('finds the imports under src/', () => {
    expect(imports.length).toBeGreaterThan(300);
    expect(imports).toContainEqual(imp('src/engine.ts', 'src/rules/run.ts'));
  });

  it('no module imports a layer above it or a sibling', () => {
    expect(layerBreaks(imports, ALLOWED)).toEqual([]);
  });

  it('no import cycle', () => {
    expect(importCycles(imports, ALLOWED)).toEqual([]);
  });

  it('every allowed import still exists', () => {
    const stale = ALLOWED.filter((a) => !imports.some((i) => i.from === a.from && i.to === a.to));
    expect(stale).toEqual([]);
  });
});

describe('the layer lint fails on planted violations', () => {
  it('an import from a lower layer up to a higher one', () => {
    const planted = importsOf('src/load/parse.ts', "import { runRules } from '../rules/run.js';\n");
    expect(layerBreaks(planted)).toEqual([
      'src/load/parse.ts -> src/rules/run.ts (load may not import rules)',
    ]);
  });

  it('a type-only import up to a module that is not a types.ts', () => {
    const planted = importsOf('src/model/build.ts', "import type { Report } from '../findings/report.js';\n");
    expect(layerBreaks(planted)).toHaveLength(1);
  });

  it('a value import of a higher types.ts, but not a type-only one', () => {
    const value = importsOf('src/load/parse.ts', "import { SEVERITY_RANK } from '../findings/types.js';\n");
    const typeOnly = importsOf('src/load/parse.ts', "import { type Finding } from '../findings/types.js';\n");
    expect(layerBreaks(value)).toHaveLength(1);
    expect(layerBreaks(typeOnly)).toEqual([]);
  });

  it('an import between siblings, a re-export and a dynamic import', () => {
    expect(layerBreaks([imp('src/cli/main.ts', 'src/action/run.ts')])).toHaveLength(1);
    expect(layerBreaks(importsOf('src/util/list.ts', "export * from '../model/build.js';\n"))).toHaveLength(
      1,
    );
    expect(layerBreaks(importsOf('src/rules/run.ts', "await import('../report/text.js');\n"))).toHaveLength(
      1,
    );
  });

  it('a folder that is in no layer', () => {
    expect(() => layerBreaks([imp('src/newfolder/a.ts', 'src/util/list.ts')])).toThrow(/in no layer/);
  });

  it('a cycle, type-only edges included, unless an allowed edge breaks it', () => {
    const cycle = [
      imp('src/live/a.ts', 'src/live/b.ts'),
      imp('src/live/b.ts', 'src/live/c.ts', true),
      imp('src/live/c.ts', 'src/live/a.ts'),
      imp('src/live/c.ts', 'src/live/d.ts'),
    ];
    expect(importCycles(cycle)).toEqual([['src/live/a.ts', 'src/live/b.ts', 'src/live/c.ts']]);
    expect(importCycles(cycle, [{ from: 'src/live/b.ts', to: 'src/live/c.ts', why: 'test' }])).toEqual([]);
    expect(importCycles([imp('src/util/a.ts', 'src/util/a.ts')])).toEqual([['src/util/a.ts']]);
  });

  it('the real tree with one planted upward import', () => {
    const planted = [...imports, imp('src/util/list.ts', 'src/report/text.ts')];
    expect(layerBreaks(planted, ALLOWED)).toEqual([
      'src/util/list.ts -> src/report/text.ts (util may not import report)',
    ]);
  });
});
