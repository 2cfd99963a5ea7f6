import type { Notice, RawFinding } from '../findings/types.js';
import { lookUpLive } from '../live/live-lookup.js';
import { scopedModel } from '../model/scoped.js';
import type { LiveState } from '../live/types.js';
import { builtinPolicies } from './catalogue.js';
import { LIVE_RULES, STATIC_RULES } from './index.js';
import { policyRule } from './policy/rule.js';
import type { Policy } from './policy/types.js';
import type { LiveRuleContext, Rule, RuleContext } from './types.js';
import { append } from '../util/list.js';

/**
 * Runs every static rule, and the live rules when there is live state: the built-in rules (code, and those
 * written as policies) and the team's policies, alike. A live rule whose input was not read in full does not
 * run: it says so in a notice, because drift from a partial read would be false.
 */
export function runRules(
  context: Omit<RuleContext, 'lookup'>,
  live: LiveState | undefined,
  notices: Notice[],
  teamPolicies: readonly Policy[] = [],
): RawFinding[] {
  const policies = [...builtinPolicies(), ...teamPolicies];
  const staticRules = [...STATIC_RULES, ...policies.filter((p) => p.meta.scope === 'static').map(policyRule)];
  const liveRules = [...LIVE_RULES, ...policies.filter((p) => p.meta.scope === 'live').map(policyRule)];
  const staticContext = { ...context, organization: live?.organization };
  const raw = staticRules.flatMap((rule) => rule.check(staticContext));
  if (!live) return raw;
  // A scoped read (a pull request's) judges only what it read: an unread group is not "missing".
  const model = live.scope ? scopedModel(context.model, live.scope) : context.model;
  const liveContext: LiveRuleContext = { ...staticContext, model, lookup: lookUpLive(model, live) };
  const limited = new Map<string, Set<string>>();
  // Rules left out because a part of the live state was not read in full: one line for all of them.
  const unreadBy = new Map<string, string[]>();
  for (const rule of liveRules) {
    // A part the read left out altogether (applications when none is declared): nothing to judge, nothing to say.
    if ((rule.needs ?? []).some((part) => live.complete[part] === undefined)) continue;
    const missing = incompleteFiles(rule, context.incomplete);
    if (missing.length > 0) {
      for (const file of missing) limited.set(file, (limited.get(file) ?? new Set()).add(rule.id));
      continue;
    }
    const unread = (rule.needs ?? []).filter((part) => live.complete[part] === false);
    if (unread.length > 0) {
      const key = unread.join(', ');
      unreadBy.set(key, [...(unreadBy.get(key) ?? []), rule.id]);
      continue;
    }
    append(raw, rule.check(liveContext));
  }
  if (unreadBy.size > 0) {
    const ids = [...unreadBy.values()].flat();
    const parts = [...new Set([...unreadBy.keys()].flatMap((k) => k.split(', ')))];
    notices.push({
      message: `${ids.join(', ')} not evaluated: ${parts.join(', ')} could not be read completely (see the errors)`,
    });
  }
  if (limited.size > 0) {
    const rules = [...new Set([...limited.values()].flatMap((r) => [...r]))].sort();
    const files = [...limited.keys()].sort();
    notices.push({
      message:
        `${rules.join(', ')} not evaluated: ${files.join(', ')} did not load (see IDC001), so ` +
        `the declarations are incomplete and live state that nothing declares could be declared ` +
        `there; fix the file and check again`,
    });
  }
  return raw;
}

/** The files whose failure to load leaves out declarations the rule needs complete. */
function incompleteFiles(
  rule: Pick<Rule, 'needsCompleteDeclarations'>,
  incomplete: RuleContext['incomplete'],
): string[] {
  if (!incomplete || !rule.needsCompleteDeclarations) return [];
  const kinds = ['*', ...rule.needsCompleteDeclarations];
  return [...new Set(kinds.flatMap((k) => incomplete.get(k) ?? []))];
}
