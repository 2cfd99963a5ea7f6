import type { ParsedDoc } from '../../load/parse.js';
import { keyLoc } from '../../load/location.js';
import {
  ENTRA_FUNCTIONS,
  entraExpressionFacts,
  OTHER_APPS,
  parseEntraExpression,
  type EntraExpression,
} from '../idp.js';
import { VALID } from '../build.js';
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
        ...VALID,
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

/** An attributeMappingSource as an expression tree: parameters are the arguments of a function. */
function toExpression(source: Obj | undefined): EntraExpression {
  const type = str(source?.type) ?? 'Attribute';
  const name = str(source?.name) ?? '';
  if (type === 'Constant') return { type: 'Constant', value: name };
  if (type === 'Attribute') return { type: 'Attribute', name };
  const parameters = arr(source?.parameters);
  if (parameters.length === 0 && str(source?.expression))
    return parseEntraExpression(str(source?.expression)!);
  return { type: 'Function', name, args: parameters.map((p) => toExpression(obj(obj(p)?.value))) };
}

/** What an attributeMappingSource reads, whether it may be empty, and any function Entra does not have. */
function readSource(
  source: Obj | undefined,
  path: (string | number)[],
  problems: ExportProblems,
): SourceInfo {
  const expression = toExpression(source);
  const facts = entraExpressionFacts(expression);
  const text =
    str(source?.expression) ??
    (expression.type === 'Attribute' ? `[${expression.name}]` : (str(source?.name) ?? ''));
  for (const fn of facts.functions) {
    if (!ENTRA_FUNCTIONS.has(fn)) {
      const at = arr(source?.parameters).length > 0 || !str(source?.expression) ? 'name' : 'expression';
      problems.add(
        [...path, at],
        `unknown Entra function ${JSON.stringify(fn)}: Entra rejects the mapping, and idc-guard reads only the attributes in [brackets] from it`,
        { severity: 'warning' },
      );
    }
  }
  if (expression.type === 'Constant')
    return {
      kind: 'constant',
      inputs: [],
      constant: expression.value,
      mayBeEmpty: facts.mayBeEmpty,
      text: `"${expression.value}"`,
    };
  return {
    kind: expression.type === 'Attribute' ? 'attribute' : 'expression',
    inputs: facts.inputs,
    mayBeEmpty: facts.mayBeEmpty,
    text,
  };
}
