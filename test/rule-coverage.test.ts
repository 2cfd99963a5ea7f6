import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtinCatalogue } from '../src/rules/catalogue.js';
import { CASE_NAME, EXPECTED_FILE, RULE_FIXTURES, ruleFixtures } from './rule-cases.js';

/** Every built-in rule has its fixtures, kube-linter style, and every fixture folder is a rule's case. */
describe('rule fixtures cover the catalogue', () => {
  const catalogue = [...builtinCatalogue().keys()].sort();
  const fixtures = ruleFixtures();

  it('has a pass* and a fail* case folder for every catalogue rule', () => {
    const lacking = catalogue.flatMap((rule) =>
      (['pass', 'fail'] as const)
        .filter((kind) => !fixtures.some((f) => f.rule === rule && f.kind === kind))
        .map((kind) => `${rule} has no ${kind}* folder under test/fixtures/rules/${rule}/`),
    );
    expect(lacking).toEqual([]);
  });

  it('has no folder for a rule ID that is not in the catalogue', () => {
    const unknown = readdirSync(RULE_FIXTURES).filter((rule) => !catalogue.includes(rule));
    expect(unknown.map((rule) => `test/fixtures/rules/${rule}/ names no rule of the catalogue`)).toEqual([]);
  });

  it('holds only case folders named pass[-what] or fail[-what], and an expected.out in each fail folder', () => {
    const misnamed = readdirSync(RULE_FIXTURES).flatMap((rule) =>
      readdirSync(join(RULE_FIXTURES, rule))
        .filter((name) => !CASE_NAME.test(name))
        .map((name) => `test/fixtures/rules/${rule}/${name} is not named pass[-what] or fail[-what]`),
    );
    const unexpected = fixtures
      .filter((f) => f.kind === 'fail' && !existsSync(join(f.root, EXPECTED_FILE)))
      .map((f) => `test/fixtures/rules/${f.rule}/${f.name} has no ${EXPECTED_FILE}`);
    expect([...misnamed, ...unexpected]).toEqual([]);
  });
});
