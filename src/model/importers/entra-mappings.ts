import { ENTRA_FUNCTIONS, entraExpressionFacts, parseEntraExpression, type EntraExpression } from '../idp.js';
import type { AttributeMap } from '../types.js';
import { type ExportProblems } from './common.js';
import { asList, asFields, asString, type Fields } from '../untrusted.js';

interface SourceInfo {
  kind: AttributeMap['kind'];
  inputs: string[];
  mayBeEmpty: boolean;
  constant?: string;
  text: string;
}

/**
 * The attribute mappings of one Entra object mapping; `prefix` qualifies the enterprise extension's short
 * names.
 */
export function readAttributeMappings(
  mapping: Fields,
  path: (string | number)[],
  problems: ExportProblems,
  prefix = '',
): AttributeMap[] {
  return asList(mapping.attributeMappings).map((a, ai) => {
    const attr = asFields(a)!;
    const attrPath = [...path, 'attributeMappings', ai];
    const defaultValue = asString(attr.defaultValue);
    const name = asString(attr.targetAttributeName)!;
    const source = asFields(attr.source);
    const info = source ? readSource(source, [...attrPath, 'source'], problems) : defaultOnly(defaultValue);
    return {
      target: prefix && !/^urn:/i.test(name) ? `${prefix}${name}` : name,
      kind: info.kind,
      inputs: info.inputs,
      constant: info.constant,
      sourceText: info.text,
      at: problems.loc(...attrPath),
      // Entra sends the default value when the source is empty.
      mayBeEmpty: info.mayBeEmpty && !defaultValue,
      onlyOnCreate: attr.flowType === 'ObjectAddOnly',
      matchingPriority:
        typeof attr.matchingPriority === 'number' && attr.matchingPriority > 0
          ? attr.matchingPriority
          : undefined,
    };
  });
}

/**
 * A mapping with no source (`"source": null`) sends its default value: a constant, empty when there is none.
 */
function defaultOnly(defaultValue: string | undefined): SourceInfo {
  return {
    kind: 'constant',
    inputs: [],
    constant: defaultValue ?? '',
    mayBeEmpty: !defaultValue,
    text: defaultValue ? `default "${defaultValue}"` : 'no source and no default value',
  };
}

/** An attributeMappingSource as an expression tree: parameters are the arguments of a function. */
function toExpression(source: Fields | undefined): EntraExpression {
  const type = asString(source?.type) ?? 'Attribute';
  const name = asString(source?.name) ?? '';
  if (type === 'Constant') return { type: 'Constant', value: name };
  if (type === 'Attribute') return { type: 'Attribute', name };
  const parameters = asList(source?.parameters);
  if (parameters.length === 0 && asString(source?.expression))
    return parseEntraExpression(asString(source?.expression)!);
  return { type: 'Function', name, args: parameters.map((p) => toExpression(asFields(asFields(p)?.value))) };
}

/** What an attributeMappingSource reads, whether it may be empty, and any function Entra does not have. */
function readSource(
  source: Fields | undefined,
  path: (string | number)[],
  problems: ExportProblems,
): SourceInfo {
  const expression = toExpression(source);
  const facts = entraExpressionFacts(expression);
  const text =
    asString(source?.expression) ??
    (expression.type === 'Attribute' ? `[${expression.name}]` : (asString(source?.name) ?? ''));
  for (const fn of facts.functions) {
    if (!ENTRA_FUNCTIONS.has(fn)) {
      const at =
        asList(source?.parameters).length > 0 || !asString(source?.expression) ? 'name' : 'expression';
      problems.add(
        [...path, at],
        `unknown Entra function ${JSON.stringify(fn)}: Entra rejects the mapping, and idc-guard reads ` +
          `only the attributes in [brackets] from it`,
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
