/**
 * IAM's condition operators, as documented in "IAM JSON policy elements: Condition operators"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Each takes an `IfExists` suffix except Null, and a `ForAllValues:` or `ForAnyValue:` set prefix. Unlike
 * service prefixes and actions, operator names are case-sensitive: IAM rejects `stringEquals` with
 * "MalformedPolicyDocument: Invalid Condition type".
 */
const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
];

const SET_PREFIXES = ['', 'ForAllValues:', 'ForAnyValue:'];

/** Every operator name IAM accepts, plain forms first (so that they win a tie as a suggestion). */
export const CONDITION_OPERATORS: readonly string[] = SET_PREFIXES.flatMap((set) =>
  ['', 'IfExists'].flatMap((suffix) =>
    BASE_OPERATORS.filter((op) => !(suffix && op === 'Null')).map((op) => `${set}${op}${suffix}`),
  ),
);

const KNOWN: ReadonlySet<string> = new Set(CONDITION_OPERATORS);

export function isConditionOperator(name: string): boolean {
  return KNOWN.has(name);
}

/** Operators that hold when the key's value is not among the listed ones: they limit nothing by themselves. */
export function isNegatedOperator(name: string): boolean {
  return /^(For(AllValues|AnyValue):)?(StringNot|NumericNot|DateNot|NotIp|ArnNot)/.test(name);
}
