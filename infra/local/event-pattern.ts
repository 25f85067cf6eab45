/**
 * Amazon EventBridge event patterns, evaluated locally. The local bus routes with it, and the
 * local stream poller applies Lambda event-source filter criteria with it (same syntax, applied to
 * the DynamoDB stream record). A rule that is wrong here would route differently from AWS, so the
 * semantics follow AWS's matcher (aws/event-ruler), including its less obvious corners:
 *
 * - Every key in a pattern must match (AND); a list of values at a leaf is an OR.
 * - An event field that is an array matches when any of its elements matches.
 * - A field named in the pattern but absent from the event fails every matcher except
 *   `{exists: false}`. An empty array or an object counts as "no leaf value" for `exists`.
 * - Matching is type-aware: `"5"` never equals `5`; string operators never match numbers.
 * - A pattern that AWS would refuse (a bare scalar instead of a list, an unknown operator) throws
 *   `InvalidEventPatternError` rather than silently matching nothing.
 */

export class InvalidEventPatternError extends Error {
  override name = 'InvalidEventPatternError';
}

type Scalar = string | number | boolean | null;
type Json = Scalar | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Scalar =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

// ---------------------------------------------------------------------------------------------
// Validation: once per pattern object (patterns are long-lived: rules, filter criteria).

const validated = new WeakSet<object>();

const fail = (path: string, message: string): never => {
  throw new InvalidEventPatternError(`event pattern ${path || '(root)'}: ${message}`);
};

const NUMERIC_LOWER = new Set(['>', '>=']);
const NUMERIC_UPPER = new Set(['<', '<=']);

const validateNumeric = (path: string, operand: unknown): void => {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    fail(path, 'numeric takes [operator, number, …] pairs');
  }
  const ops = operand as unknown[];
  let lower = 0;
  let upper = 0;
  let equal = 0;
  for (let i = 0; i < ops.length; i += 2) {
    const op = ops[i];
    const value = ops[i + 1];
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'numeric operands must be numbers');
    if (op === '=') equal++;
    else if (NUMERIC_LOWER.has(op as string)) lower++;
    else if (NUMERIC_UPPER.has(op as string)) upper++;
    else fail(path, `unknown numeric operator ${JSON.stringify(op)}`);
  }
  // AWS accepts one '=' alone, or at most one lower and one upper bound.
  if ((equal && ops.length > 2) || lower > 1 || upper > 1) fail(path, 'numeric range is not valid');
};

const validateStringOrIgnoreCase = (path: string, name: string, operand: unknown): void => {
  if (typeof operand === 'string') return;
  if (
    isObject(operand) &&
    Object.keys(operand).length === 1 &&
    typeof operand['equals-ignore-case'] === 'string'
  ) {
    return;
  }
  fail(path, `${name} takes a string or {"equals-ignore-case": string}`);
};

const validateWildcard = (path: string, operand: unknown): void => {
  if (typeof operand !== 'string') fail(path, 'wildcard takes a string');
  // AWS refuses consecutive unescaped wildcards.
  if (/(^|[^\\])\*\*/.test(operand as string)) fail(path, 'wildcard has consecutive "*"');
};

const stringOrStrings = (operand: unknown): boolean =>
  typeof operand === 'string' ||
  (Array.isArray(operand) && operand.length > 0 && operand.every((v) => typeof v === 'string'));

const validateAnythingBut = (path: string, operand: unknown): void => {
  if (isScalar(operand) && operand !== null && typeof operand !== 'boolean') return;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((v) => typeof v === 'string');
    const allNumbers = operand.every((v) => typeof v === 'number');
    if (operand.length > 0 && (allStrings || allNumbers)) return;
    fail(path, 'anything-but list must hold only strings or only numbers');
  }
  if (isObject(operand) && Object.keys(operand).length === 1) {
    const [key, inner] = Object.entries(operand)[0]!;
    if ((key === 'prefix' || key === 'suffix') && typeof inner === 'string') return;
    if (key === 'equals-ignore-case' && stringOrStrings(inner)) return;
    if (key === 'wildcard' && stringOrStrings(inner)) {
      for (const w of [inner].flat()) validateWildcard(path, w);
      return;
    }
  }
  fail(
    path,
    'anything-but takes a string, a number, a list of them, or {prefix|suffix|equals-ignore-case|wildcard}',
  );
};

const validateMatcher = (path: string, matcher: unknown): void => {
  if (isScalar(matcher)) return;
  if (!isObject(matcher) || Object.keys(matcher).length !== 1) {
    fail(path, 'each value in a list must be a string, number, boolean, null or one operator object');
  }
  const [op, operand] = Object.entries(matcher as Record<string, unknown>)[0]!;
  switch (op) {
    case 'prefix':
    case 'suffix':
      validateStringOrIgnoreCase(path, op, operand);
      break;
    case 'equals-ignore-case':
      if (typeof operand !== 'string') fail(path, 'equals-ignore-case takes a string');
      break;
    case 'wildcard':
      validateWildcard(path, operand);
      break;
    case 'exists':
      if (typeof operand !== 'boolean') fail(path, 'exists takes true or false');
      break;
    case 'numeric':
      validateNumeric(path, operand);
      break;
    case 'anything-but':
      validateAnythingBut(path, operand);
      break;
    default:
      // cidr exists in AWS but nothing here uses it; refusing it beats matching it wrongly.
      fail(path, `operator ${JSON.stringify(op)} is not supported by the local matcher`);
  }
};

const validatePattern = (pattern: unknown, path: string): void => {
  if (!isObject(pattern)) fail(path, 'a pattern must be a JSON object');
  const entries = Object.entries(pattern as Record<string, unknown>);
  if (entries.length === 0) fail(path, 'a pattern must name at least one field');
  for (const [key, value] of entries) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) fail(at, '$or takes a list of at least two patterns');
      (value as unknown[]).forEach((p, i) => {
        validatePattern(p, `${at}[${i}]`);
      });
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail(at, 'a list of values must not be empty');
      for (const matcher of value) validateMatcher(at, matcher);
    } else if (isObject(value)) {
      validatePattern(value, at);
    } else {
      fail(at, 'a leaf must be a list of values, e.g. ["value"]');
    }
  }
};

/** Throws `InvalidEventPatternError` when AWS would refuse the pattern. */
export function assertValidPattern(pattern: Record<string, unknown>): void {
  if (validated.has(pattern)) return;
  validatePattern(pattern, '');
  validated.add(pattern);
}

// ---------------------------------------------------------------------------------------------
// Matching.

/** `undefined` stands for "the field is not in the event". */
type Leaf = Json | undefined;

const wildcardRegex = (pattern: string): RegExp => {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[++i]}`;
    } else if (c === '*') {
      source += '.*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
};

const wildcardCache = new Map<string, RegExp>();
const matchesWildcard = (pattern: string, value: string): boolean => {
  let re = wildcardCache.get(pattern);
  if (!re) {
    re = wildcardRegex(pattern);
    wildcardCache.set(pattern, re);
  }
  return re.test(value);
};

const lower = (s: string) => s.toLowerCase();

type Affix = string | { 'equals-ignore-case': string };

const matchesAffix = (
  operand: Affix,
  value: string,
  test: (value: string, affix: string) => boolean,
): boolean =>
  typeof operand === 'string'
    ? test(value, operand)
    : test(lower(value), lower(operand['equals-ignore-case']));

const startsWith = (value: string, affix: string) => value.startsWith(affix);
const endsWith = (value: string, affix: string) => value.endsWith(affix);

const matchesNumeric = (ops: readonly (string | number)[], value: number): boolean => {
  for (let i = 0; i < ops.length; i += 2) {
    const bound = ops[i + 1] as number;
    const ok =
      ops[i] === '='
        ? value === bound
        : ops[i] === '>'
          ? value > bound
          : ops[i] === '>='
            ? value >= bound
            : ops[i] === '<'
              ? value < bound
              : value <= bound;
    if (!ok) return false;
  }
  return true;
};

/** anything-but: the value is present and is none of the listed things. */
const matchesAnythingBut = (operand: unknown, value: Scalar): boolean => {
  if (isObject(operand)) {
    const [key, inner] = Object.entries(operand)[0]!;
    // String operators never match a number or null, so their negation does.
    if (typeof value !== 'string') return true;
    if (key === 'prefix') return !value.startsWith(inner as string);
    if (key === 'suffix') return !value.endsWith(inner as string);
    if (key === 'equals-ignore-case')
      return ![inner as string | string[]].flat().some((s) => lower(s) === lower(value));
    return ![inner as string | string[]].flat().some((w) => matchesWildcard(w, value));
  }
  return ![operand].flat().some((excluded) => excluded === value);
};

const matchesScalar = (matcher: unknown, value: Scalar): boolean => {
  if (isScalar(matcher)) return matcher === value;
  const [op, operand] = Object.entries(matcher as Record<string, unknown>)[0]!;
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && matchesAffix(operand as Affix, value, startsWith);
    case 'suffix':
      return typeof value === 'string' && matchesAffix(operand as Affix, value, endsWith);
    case 'equals-ignore-case':
      return typeof value === 'string' && lower(value) === lower(operand as string);
    case 'wildcard':
      return typeof value === 'string' && matchesWildcard(operand as string, value);
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(operand as (string | number)[], value);
    case 'anything-but':
      return matchesAnythingBut(operand, value);
    case 'exists':
      return operand === true;
    default:
      return false;
  }
};

/** The scalar values an event field holds (arrays flattened), or none if it has no leaf value. */
const leafValues = (value: Leaf): Scalar[] => {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap((v) => leafValues(v));
  return [value];
};

const matchesLeaf = (matchers: readonly unknown[], value: Leaf): boolean => {
  const values = leafValues(value);
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return values.length > 0 === matcher.exists;
    return values.some((v) => matchesScalar(matcher, v));
  });
};

const matchesObject = (pattern: Record<string, unknown>, event: Leaf): boolean => {
  // A nested pattern applied to an array of objects matches when one element matches it whole.
  if (Array.isArray(event)) return event.some((element) => matchesObject(pattern, element));
  const fields = isObject(event) ? event : undefined;
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return (sub as Record<string, unknown>[]).some((p) => matchesObject(p, event));
    const value = fields?.[key] as Leaf;
    return Array.isArray(sub)
      ? matchesLeaf(sub, value)
      : matchesObject(sub as Record<string, unknown>, value);
  });
};

/**
 * True when `event` matches the EventBridge `pattern`. Throws `InvalidEventPatternError` for a
 * pattern AWS would refuse (checked once per pattern object).
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  assertValidPattern(pattern);
  return matchesObject(pattern, event as Leaf);
}
