// The layer lint: reads the relative imports under src/ and checks them against the pipeline's order.
// test/layers.test.ts runs it on the real tree (inside `npm test`) and on planted violations.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Bottom to top. A module may import its own folder and any folder on a lower row; folders on one row
 * are siblings and do not import each other. `cli` is src/cli/ and src/cli.ts; `index` is src/index.ts.
 */
export const LAYERS: string[][] = [
  ['util'],
  ['load'], // files with positions
  ['validate'], // JSON Schema checks, errors placed on the file
  ['config'], // .idc-guard.yml: read with load and validate
  ['model'], // declarations and IdP exports as one model
  ['live'], // live state from AWS or a snapshot; joins it to the model
  ['rules'],
  ['findings'], // suppression, baseline, severity, the report object
  ['engine'], // runs the pipeline once
  ['pull-request'], // runs it on base and head
  // The writers: report renders a report (the last stage, so a pull request's result too); init writes
  // declarations from live state for `init --from-live`.
  ['report', 'init'],
  ['cli', 'action'],
  ['index'],
];

export interface Import {
  from: string; // repository-relative, e.g. src/load/parse.ts
  to: string;
  typeOnly: boolean;
}

/** An import the lint lets through for now; each says why and is removed when its import is. */
export interface Allowed {
  from: string;
  to: string;
  why: string;
}

export function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length === 2 ? parts[1].replace(/\.ts$/, '') : parts[1];
}

function rowOf(layer: string): number {
  const row = LAYERS.findIndex((names) => names.includes(layer));
  if (row < 0) throw new Error(`src/${layer} is in no layer: add it to LAYERS in test/layers.ts`);
  return row;
}

/**
 * Type-only imports of a folder's types.ts are the pipeline's shared vocabulary (a finding, a location,
 * the model's and the live state's shapes): erased at build, they carry no code upward.
 */
function isVocabulary(imp: Import): boolean {
  return imp.typeOnly && imp.to.endsWith('/types.ts');
}

const key = (from: string, to: string) => `${from} -> ${to}`;

/** Imports that go up the layers or across siblings, less the allowed ones. */
export function layerBreaks(imports: Import[], allowed: Allowed[] = []): string[] {
  const ok = new Set(allowed.map((a) => key(a.from, a.to)));
  const breaks: string[] = [];
  for (const imp of imports) {
    const from = layerOf(imp.from);
    const to = layerOf(imp.to);
    if (from === to || isVocabulary(imp) || ok.has(key(imp.from, imp.to))) continue;
    if (rowOf(to) >= rowOf(from)) breaks.push(`${key(imp.from, imp.to)} (${from} may not import ${to})`);
  }
  return breaks;
}

/** Import cycles between files, type-only imports included, after the allowed edges are taken out. */
export function importCycles(imports: Import[], allowed: Allowed[] = []): string[][] {
  const ok = new Set(allowed.map((a) => key(a.from, a.to)));
  const next = new Map<string, string[]>();
  for (const { from, to } of imports) {
    if (ok.has(key(from, to))) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  // Tarjan's strongly connected components: each component of more than one file (or a file that
  // imports itself) is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || next.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    const names = node.exportClause;
    return (
      node.isTypeOnly || (!!names && ts.isNamedExports(names) && names.elements.every((e) => e.isTypeOnly))
    );
  }
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs code
  if (clause.isTypeOnly) return true;
  const names = clause.namedBindings;
  return (
    !clause.name &&
    !!names &&
    ts.isNamedImports(names) &&
    names.elements.length > 0 &&
    names.elements.every((e) => e.isTypeOnly)
  );
}

/** The relative imports of one TypeScript source: static imports, re-exports and `import()`. */
export function importsOf(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) return;
    const to = path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts');
    found.push({ from: file, to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, isTypeOnly(node));
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every relative import under `root`/src, with repository-relative paths. */
export function importsUnder(root: string): Import[] {
  const imports: Import[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts'))
        imports.push(...importsOf(file, fs.readFileSync(path.join(root, file), 'utf8')));
    }
  };
  walk('src');
  return imports;
}
