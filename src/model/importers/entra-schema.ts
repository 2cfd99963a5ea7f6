import type { ParsedDoc } from '../../load/parse.js';
import { keyLoc } from '../../load/location.js';
import {
  ENTRA_FALLBACK_FUNCTIONS,
  ENTRA_FUNCTIONS,
  ENTRA_NEVER_EMPTY,
  ENTRA_NEVER_EMPTY_FUNCTIONS,
  entraExpressionInfo,
  OTHER_APPS,
} from '../idp.js';
import type { AttributeMap, MappingSet } from '../types.js';
import { arr, ExportProblems, obj, str, type Obj } from './common.js';

/** An Entra provisioning schema is recognised by its `synchronizationRules`. */
export const isEntraSchema = (value: Obj): boolean => Object.hasOwn(value, 'synchronizationRules');

interface SourceInfo {
  kind: AttributeMap['kind'];
  inputs: string[];
  mayBeEmpty: boolean;
  constant?: string;
  text: string;
}

/**
 * Reads an Entra provisioning schema export into one mapping set per enabled user or group object mapping.
 * Object mappings with `enabled: false` do not provision anything, so they do not count.
 */
export function importEntraSchema(doc: ParsedDoc): { sets: MappingSet[]; problems: ExportProblems } {
  const problems = new ExportProblems(doc);
  const sets: MappingSet[] = [];
  if (!problems.validate('entra-provisioning-schema.schema.json', 'Entra provisioning schema'))
    return { sets, problems };
  const value = doc.value as Obj;
  arr(value.synchronizationRules).forEach((r, ri) => {
    const rule = obj(r)!;
    const target = str(rule.targetDirectoryName) ?? '';
    if (OTHER_APPS.test(target)) {
      problems.add(
        ['synchronizationRules', ri, 'targetDirectoryName'],
        `this provisioning schema is for another app (${JSON.stringify(target)}), not AWS IAM Identity Center; export the schema of the AWS app's provisioning instead`,
      );
      return;
    }
    arr(rule.objectMappings).forEach((m, mi) => {
      const mapping = obj(m)!;
      if (mapping.enabled === false) return;
      const object = objectKind(str(mapping.targetObjectName));
      if (!object) return;
      const path = ['synchronizationRules', ri, 'objectMappings', mi];
      const mappings: AttributeMap[] = [];
      arr(mapping.attributeMappings).forEach((a, ai) => {
        const attr = obj(a)!;
        const attrPath = [...path, 'attributeMappings', ai];
        const info = readSource(obj(attr.source), [...attrPath, 'source'], problems);
        const defaultValue = str(attr.defaultValue);
        mappings.push({
          target: str(attr.targetAttributeName)!,
          kind: info.kind,
          inputs: info.inputs,
          constant: info.constant,
          sourceText: info.text,
          at: problems.loc(...attrPath),
          mayBeEmpty: info.mayBeEmpty && !defaultValue,
          onlyOnCreate: attr.flowType === 'ObjectAddOnly',
          matchingPriority:
            typeof attr.matchingPriority === 'number' && attr.matchingPriority > 0
              ? attr.matchingPriority
              : undefined,
        });
      });
      sets.push({
        at: problems.loc(...path),
        invalid: false,
        idp: 'entra',
        origin: 'entra-schema',
        file: doc.file,
        object,
        mappingsAt: keyLoc(doc.loc, ...path, 'attributeMappings'),
        mappings,
      });
    });
  });
  return { sets, problems };
}

function objectKind(name: string | undefined): 'user' | 'group' | undefined {
  const n = name?.toLowerCase();
  return n === 'user' ? 'user' : n === 'group' ? 'group' : undefined;
}

/** What an attributeMappingSource reads, recursively through function parameters. */
function readSource(
  source: Obj | undefined,
  path: (string | number)[],
  problems: ExportProblems,
): SourceInfo {
  const type = str(source?.type) ?? 'Attribute';
  const name = str(source?.name) ?? '';
  const expression = str(source?.expression);
  if (type === 'Constant')
    return {
      kind: 'constant',
      inputs: [],
      constant: name,
      mayBeEmpty: name.trim() === '',
      text: `"${name}"`,
    };
  if (type === 'Attribute') {
    return {
      kind: 'attribute',
      inputs: name ? [name] : [],
      mayBeEmpty: !ENTRA_NEVER_EMPTY.has(name.toLowerCase()),
      text: `[${name}]`,
    };
  }
  // A function: its inputs are its parameters; the expression is the fallback when parameters are absent.
  const parameters = arr(source?.parameters);
  const text = expression ?? `${name}(…)`;
  const functionNames = parameters.length > 0 ? [name] : entraExpressionInfo(text).functions;
  for (const fn of new Set(functionNames)) {
    if (fn && !ENTRA_FUNCTIONS.has(fn)) {
      problems.add(
        [...path, parameters.length > 0 ? 'name' : 'expression'],
        `unknown Entra function ${JSON.stringify(fn)}: Entra rejects the mapping, and idc-guard reads only the attributes in [brackets] from it`,
        { severity: 'warning' },
      );
    }
  }
  if (parameters.length === 0) {
    const info = entraExpressionInfo(text);
    return { kind: 'expression', inputs: info.inputs, mayBeEmpty: info.mayBeEmpty, text };
  }
  const infos = parameters.map((p, i) =>
    readSource(obj(obj(p)?.value), [...path, 'parameters', i, 'value'], problems),
  );
  const inputs = [...new Set(infos.flatMap((i) => i.inputs))];
  // Constant parameters (separators, formats) say nothing about whether the result is empty.
  const valued = infos.filter((i) => i.kind !== 'constant' || ENTRA_FALLBACK_FUNCTIONS.has(name));
  let mayBeEmpty: boolean;
  if (ENTRA_NEVER_EMPTY_FUNCTIONS.has(name)) mayBeEmpty = false;
  else if (ENTRA_FALLBACK_FUNCTIONS.has(name) || name === 'Join' || name === 'Append')
    mayBeEmpty = valued.every((i) => i.mayBeEmpty);
  else mayBeEmpty = valued.length === 0 || valued.some((i) => i.mayBeEmpty);
  return { kind: 'expression', inputs, mayBeEmpty, text };
}
