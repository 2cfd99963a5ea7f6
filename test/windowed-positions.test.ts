// A large document is located by windows of items (src/load/windowed.ts) rather than parsed whole: these tests
// force windows of two items onto small documents and require every path to get the position a whole parse
// gives, on every YAML file of the fixtures and examples and on shapes chosen to mislead the outline scan.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import jsYaml from 'js-yaml';
import type { PathSegment } from '../src/load/location.js';
import { Locator } from '../src/load/positions.js';
import { splitDocuments, type SourceFile } from '../src/load/source.js';
import { outlineSequence } from '../src/load/windowed.js';
import { check, makeRepo } from './helpers.js';

const WHOLE = { minChars: Number.POSITIVE_INFINITY, items: 512 };
const TINY_WINDOWS = { minChars: 0, items: 2 };

function source(text: string): SourceFile {
  return { path: 'f.yaml', absPath: '/f.yaml', format: 'yaml', text, chunks: splitDocuments(text) };
}

/** Every path into a value, each with and without `key`. */
function paths(value: unknown, prefix: PathSegment[] = []): { path: PathSegment[]; key?: boolean }[] {
  const out: { path: PathSegment[]; key?: boolean }[] = [{ path: prefix }];
  if (prefix.length) out.push({ path: prefix, key: true });
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** The positions of every path of every document, by windows and whole; they must be equal. */
function compare(text: string): { checked: number; mismatches: string[] } {
  const file = source(text);
  const sources = new Map([['f.yaml', file]]);
  const windowed = new Locator(sources, undefined, TINY_WINDOWS);
  const whole = new Locator(sources, undefined, WHOLE);
  const mismatches: string[] = [];
  let checked = 0;
  file.chunks.forEach((chunk, doc) => {
    let value: unknown;
    try {
      value = jsYaml.load(text.slice(chunk.start, chunk.end), { json: true });
    } catch {
      return;
    }
    for (const p of [
      ...paths(value),
      { path: ['no-such-key', 0] },
      { path: [Object.keys(value ?? {})[0], 10_000] },
    ]) {
      const loc = { file: 'f.yaml', doc, ...p };
      const a = windowed.locate(loc);
      const b = whole.locate(loc);
      checked++;
      if (a.line !== b.line || a.column !== b.column)
        mismatches.push(
          `doc ${doc} ${JSON.stringify(p)}: windowed ${a.line}:${a.column}, whole ${b.line}:${b.column}`,
        );
    }
  });
  return { checked, mismatches };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('locating by windows of items', () => {
  it('gives every path of every fixture and example file the position of a whole parse', () => {
    const files = [...yamlFiles('test/fixtures'), ...yamlFiles('examples')];
    expect(files.length).toBeGreaterThan(50);
    let checked = 0;
    const mismatches: string[] = [];
    for (const path of files) {
      const result = compare(readFileSync(path, 'utf8'));
      checked += result.checked;
      mismatches.push(...result.mismatches.map((m) => `${relative('.', path)}: ${m}`));
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  const SHAPES: Record<string, string> = {
    'items with comments, blank lines and a key after the sequence':
      'kind: Groups # the kind\n# a comment\ngroups:\n\n  # first\n  - name: a\n    members: { users: [x, y] }\n\n  - name: b\n  # between\n  - { name: c,\n      description: "two\n        lines" }\n  -\n    name: d\nnote: after\n',
    'a block scalar whose lines look like items':
      'kind: Groups\ngroups:\n  - name: a\n    description: |\n      - not an item\n        - nor this\n  - name: b\n    description: >-\n     - folded\n  - name: c\n  - name: d\n',
    'items at column 0 and a second sequence':
      'kind: Assignments\nassignments:\n- group: a\n  accounts: [1]\n- group: b\n- group: c\nother:\n  - x\n  - y\n',
    'an alias to an earlier item':
      'kind: Groups\ngroups:\n  - &g { name: a }\n  - name: b\n  - name: c\n  - *g\n  - name: e\n',
    'several documents':
      'kind: Groups\ngroups:\n  - name: a\n  - name: b\n  - name: c\n---\nkind: Users\nusers:\n  - userName: u\n  - userName: v\n  - userName: w\n',
    'CRLF line ends':
      'kind: Groups\r\ngroups:\r\n  - name: a\r\n  - name: b\r\n  - name: c\r\n  - name: d\r\n',
    'a duplicate key inside an item':
      'kind: Groups\ngroups:\n  - name: a\n    name: b\n  - name: c\n  - name: d\n',
    'nested sequences at a deeper indent':
      'kind: Groups\ngroups:\n  - name: a\n    members:\n      users:\n      - x\n      - y\n  - name: b\n  - name: c\n',
  };
  for (const [shape, text] of Object.entries(SHAPES)) {
    it(`gives a whole parse's positions with ${shape}`, () => {
      const { checked, mismatches } = compare(text);
      expect(mismatches).toEqual([]);
      expect(checked).toBeGreaterThan(10);
    });
  }

  it('parses only the window a path points into, and the document whole when a window does not stand alone', () => {
    const items = Array.from({ length: 1000 }, (_, i) => `  - { name: g${i}, description: "group ${i}" }`);
    const text = `kind: Groups\ngroups:\n${items.join('\n')}\n`;
    const locator = new Locator(new Map([['f.yaml', source(text)]]), undefined, { minChars: 0, items: 50 });
    expect(locator.locate({ file: 'f.yaml', doc: 0, path: ['groups', 700, 'name'] })).toEqual({
      line: 703,
      column: 13,
    });
    expect(locator.parsedChars).toBeLessThan(text.length / 10);
    // A flow map continued at a smaller indent (js-yaml reads it, yaml does not): the outline ends there, the
    // window with that item does not parse on its own, and the document is parsed whole after all.
    const lines = [...items];
    lines[500] = '  - { name: g500,\n description: "cut" }';
    const odd = `kind: Groups\ngroups:\n${lines.join('\n')}\n`;
    const sources = new Map([['f.yaml', source(odd)]]);
    const fallback = new Locator(sources, undefined, { minChars: 0, items: 50 });
    const whole = new Locator(sources, undefined, WHOLE);
    for (const index of [10, 500, 999]) {
      const loc = { file: 'f.yaml', doc: 0, path: ['groups', index, 'name'] };
      expect(fallback.locate(loc)).toEqual(whole.locate(loc));
    }
    expect(fallback.parsedChars).toBeGreaterThan(odd.length);
  });

  it('says which paths cannot be on a line without parsing their window', () => {
    const items = Array.from({ length: 1000 }, (_, i) => `  - { name: g${i} }`);
    const text = `kind: Groups\ngroups:\n${items.join('\n')}\n`;
    const locator = new Locator(new Map([['f.yaml', source(text)]]), undefined, { minChars: 0, items: 50 });
    const at = (index: number) => ({ file: 'f.yaml', doc: 0, path: ['groups', index, 'name'] });
    // Item 700 is on line 703, in the window of items 700-749 (lines 703-752).
    expect(locator.mayBeAt(at(700), [703])).toBe(true);
    expect(locator.mayBeAt(at(749), [703])).toBe(true);
    expect(locator.mayBeAt(at(650), [703])).toBe(false);
    expect(locator.mayBeAt(at(800), [703])).toBe(false);
    expect(locator.parsedChars).toBe(0);
  });

  it('applies a suppression comment inside a large file read by windows, and only there', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => `  - { name: g${i}, colour: blue }`);
    items[15_000] = `  # idc-guard-ignore IDC001 -- a colour for the migration\n${items[15_000]}`;
    const root = makeRepo({
      'identity/groups.yaml': `kind: Groups\ngroups:\n${items.join('\n')}\n`,
      '.idc-guard.yml': 'params:\n  maxFindings: 50000\n',
    });
    const { report } = await check(root);
    const suppressed = report.findings.filter((f) => f.suppressed);
    expect(suppressed.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      ['IDC001', 15_004, expect.stringContaining('groups[15000];')],
    ]);
    expect(report.summary).toMatchObject({ error: 19_999, suppressed: 1 });
    const line = (index: number) =>
      report.findings.find((f) => f.message.includes(`groups[${index}];`))?.line;
    expect([line(14_999), line(15_001)]).toEqual([15_002, 15_005]);
  });

  it('finds the sequence, its items and its end by a scan of lines', () => {
    const text = SHAPES['items with comments, blank lines and a key after the sequence'];
    const outline = outlineSequence(text, 2)!;
    expect(outline.key).toBe('groups');
    expect(outline.indent).toBe(2);
    expect(outline.itemStarts.map((o) => text.slice(o, text.indexOf('\n', o)))).toEqual([
      '  - name: a',
      '  - name: b',
      '  - { name: c,',
      '  -',
    ]);
    expect(text.slice(outline.end)).toBe('note: after\n');
    expect(outlineSequence('kind: Groups\ngroups: []\n', 1)).toBeUndefined();
  });
});
