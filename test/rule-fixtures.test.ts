import { join } from 'node:path';
import { check } from './helpers.js';
import {
  checkFixture,
  expectedOutput,
  outputOf,
  RULE_FIXTURES,
  ruleFixtures,
  rulesOf,
} from './rule-cases.js';

/**
 * Walks test/fixtures/rules/<rule>/<case>/ and checks each case folder against the expected.out beside it
 * (UPDATE_GOLDEN=1 rewrites them). The output holds every finding of the run, of any rule, and every notice
 * and tool error, so a case also pins what it must not report. A `fail*` case reports at least one finding of
 * its rule; a `pass*` case reports no finding of any rule (its expected.out, if any, holds notices or errors).
 */
describe.each(ruleFixtures())('$rule $name', (fixture) => {
  it(fixture.kind === 'pass' ? 'reports no findings' : `reports its ${fixture.rule} findings`, async () => {
    const actual = outputOf(await checkFixture(fixture));
    expect(actual).toBe(expectedOutput(fixture, actual));
    if (fixture.kind === 'pass') expect(rulesOf(actual)).toEqual([]);
    else expect(rulesOf(actual)).toContain(fixture.rule);
  });
});

describe('rule fixtures', () => {
  it("keeps the fixtures' __proto__ key from polluting Object.prototype", async () => {
    await check(join(RULE_FIXTURES, 'IDC001', 'fail'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
