import { own } from '../../util/own.js';
import { NameIndex, SuggestionBudget } from '../../util/suggest.js';
import { IAM_ACTION_NAMES } from './action-names.js';
import { CONDITION_OPERATORS } from './condition-operators.js';
import { globMatch, globSteps } from './glob.js';
import { IAM_SERVICE_PREFIXES } from './service-prefixes.js';

/** Reads back one service's front-coded action list (see scripts/update-iam-data.js). */
export function decodeActionNames(coded: string): string[] {
  const names: string[] = [];
  let previous = '';
  for (const entry of coded.split(',')) {
    previous = previous.slice(0, parseInt(entry[0], 36)) + entry.slice(1);
    names.push(previous);
  }
  return names;
}

/**
 * Pattern-matching steps a run may spend on wildcard actions (a few tenths of a second): past them, a pattern
 * is taken to match, so an adversarial policy costs time bounded per run and at worst a missed warning.
 */
export const PATTERN_BUDGET = 50_000_000;

interface Service {
  names: string[];
  lower: ReadonlySet<string>;
  index: NameIndex;
}

/** Decoded services, built once per process: a run only reads them. */
const services = new Map<string, Service>();
let prefixIndex: NameIndex | undefined;
let operatorIndex: NameIndex | undefined;

function service(prefix: string): Service | undefined {
  let known = services.get(prefix);
  if (!known) {
    const coded = own(IAM_ACTION_NAMES, prefix);
    if (coded === undefined) return undefined;
    const names = decodeActionNames(coded);
    known = { names, lower: new Set(names.map((n) => n.toLowerCase())), index: new NameIndex(names) };
    services.set(prefix, known);
  }
  return known;
}

/**
 * IAM's names as one run sees them: service prefixes and action names (compared without case, as IAM does),
 * and condition operators (compared exactly). Every "did you mean" is charged to the run's one budget, and
 * wildcard patterns are matched once per run, so no policy makes the work more than linear.
 */
export class IamNames {
  private readonly prefixes: NameIndex;
  private readonly operators: NameIndex;
  private readonly actionIndexes = new Map<string, NameIndex>();
  private readonly patterns = new Map<string, boolean>();
  private patternBudget = PATTERN_BUDGET;

  constructor(private readonly budget = new SuggestionBudget()) {
    prefixIndex ??= new NameIndex(IAM_SERVICE_PREFIXES);
    operatorIndex ??= new NameIndex(CONDITION_OPERATORS);
    this.prefixes = prefixIndex.withBudget(budget);
    this.operators = operatorIndex.withBudget(budget);
  }

  isPrefix(prefix: string): boolean {
    return IAM_SERVICE_PREFIXES.has(prefix.toLowerCase());
  }

  closestPrefix(prefix: string): string | undefined {
    return this.prefixes.closest(prefix.toLowerCase());
  }

  /**
   * Whether the action part `name` of `prefix:name` (wildcards allowed) names at least one action of a known
   * service. True for an unknown service: that is the prefix's warning, not this one.
   */
  hasAction(prefix: string, name: string): boolean {
    const known = service(prefix.toLowerCase());
    if (!known) return true;
    const lower = name.toLowerCase();
    if (!/[*?]/.test(lower)) return known.lower.has(lower);
    const key = `${prefix.toLowerCase()}:${lower}`;
    let found = this.patterns.get(key);
    if (found === undefined) {
      const start = globSteps();
      found = known.names.some((n) => globSteps() - start > this.patternBudget || globMatch(lower, n));
      this.patternBudget = Math.max(0, this.patternBudget - (globSteps() - start));
      this.patterns.set(key, found);
    }
    return found;
  }

  /** The known action of `prefix` nearest to `name`, for "did you mean". */
  closestAction(prefix: string, name: string): string | undefined {
    const known = service(prefix.toLowerCase());
    if (!known || /[*?]/.test(name)) return undefined;
    let index = this.actionIndexes.get(prefix.toLowerCase());
    if (!index) {
      index = known.index.withBudget(this.budget);
      this.actionIndexes.set(prefix.toLowerCase(), index);
    }
    return index.closestSpelling(name);
  }

  closestOperator(operator: string): string | undefined {
    return this.operators.closestSpelling(operator);
  }
}
