import { setFlagsFromString } from 'node:v8';
import type { RegExpEngine } from 'ajv/dist/types/index.js';

/** V8's flag for its linear-time engine; unknown to linters, hence a constant rather than a literal. */
const LINEAR: string = 'l';

let linearEngine: boolean | undefined;

/**
 * Whether V8's linear-time regular expression engine (the `l` flag) is on. It is behind a V8 flag, set here
 * before the first policy pattern is compiled; it only adds the `l` flag and changes nothing else.
 */
function hasLinearEngine(): boolean {
  if (linearEngine === undefined) {
    setFlagsFromString('--enable-experimental-regexp-engine');
    try {
      new RegExp('a', LINEAR);
      linearEngine = true;
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/**
 * The regular expressions of policies (`pattern`, `patternProperties`) run in time linear in the input, so
 * no pattern, however pathological (`(a+)+$`), can hang a check. The engine has no backreferences,
 * lookarounds or Unicode property escapes: a pattern that needs them is refused with an IDC001 finding at the
 * policy, when it is compiled. Patterns are read without the `u` flag, which the engine does not support.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string): RegExp => {
    // A syntax error is reported as such; only a valid pattern can be "not linear".
    new RegExp(pattern);
    if (!hasLinearEngine()) {
      throw new Error(
        'this Node.js has no linear-time regular expressions, so policies may not use patterns here',
      );
    }
    try {
      return new RegExp(pattern, LINEAR);
    } catch {
      throw new Error(
        `pattern ${JSON.stringify(pattern)} cannot run in linear time: policies may not use ` +
          `backreferences, lookarounds or \\p{…}`,
      );
    }
  },
  { code: 'linearRegExp' },
);
