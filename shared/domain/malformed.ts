/**
 * A message that fails its contract: it is not JSON, or its content is not what the contract
 * (a zod schema in events/, a task's schema) says. Retrying cannot help, so its consumer dead-letters
 * it at once with the reason (shared/adapters/dead-letters.ts).
 *
 * The reason names field paths and zod's messages ("detail.email: Invalid email address"), never
 * the values: they may be personal data, and the reason is kept and shown.
 */
export class Malformed extends Error {
  override name = 'Malformed';
}

/**
 * A zod validation failure. Recognised by shape, not by `instanceof z.core.$ZodError`: touching
 * the `core` namespace would pull all of zod's core (locales, JSON Schema) into every bundle.
 */
export const isValidationError = (
  error: unknown,
): error is { issues: Array<{ path: PropertyKey[]; message: string; code?: string; keys?: string[] }> } =>
  error instanceof Error &&
  error.name === '$ZodError' &&
  Array.isArray((error as { issues?: unknown }).issues);

/** Each failing field with zod's message; an unknown field is named itself, not the object around it. */
export const failingFields = (error: {
  issues: Array<{ path: PropertyKey[]; message: string; code?: string; keys?: string[] }>;
}): Array<{ field: string; message: string }> =>
  error.issues.flatMap((i) =>
    (i.code === 'unrecognized_keys' && i.keys?.length ? i.keys.map((k) => [...i.path, k]) : [i.path]).map(
      (path) => ({ field: path.map(String).join('.'), message: i.message }),
    ),
  );

type Issue = {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
  expected?: unknown;
  format?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  values?: unknown[];
};

/**
 * What an issue says, from its code and the schema's side only (expected type, format, bounds,
 * allowed values): zod/mini has no locale, so its messages are all "Invalid input", and the
 * value that was sent (`input`) is never read here.
 */
const whatIsWrong = (i: Issue): string => {
  switch (i.code) {
    case 'invalid_type':
      return i.expected === 'undefined' ? 'not allowed' : `expected ${String(i.expected)}`;
    case 'invalid_format':
      return `not a valid ${String(i.format)}`;
    case 'too_small':
      return `too small (${String(i.origin ?? 'value')} minimum ${String(i.minimum)})`;
    case 'too_big':
      return `too big (${String(i.origin ?? 'value')} maximum ${String(i.maximum)})`;
    case 'invalid_value':
      return `expected one of ${(i.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return 'unknown field';
    case 'invalid_union':
      return 'matches none of the allowed shapes';
    default:
      return i.message;
  }
};

const describe = (issues: Issue[], root = '') =>
  issues
    .flatMap((i) =>
      (i.code === 'unrecognized_keys' && i.keys?.length ? i.keys.map((k) => [...i.path, k]) : [i.path]).map(
        (path) =>
          `${[root, ...path.map(String)].filter(Boolean).join('.') || '(message)'}: ${whatIsWrong(i)}`,
      ),
    )
    .join('; ');

/** Why a message fails its contract, in one line of field paths and messages. */
export const reasonOf = (error: unknown): string => {
  if (error instanceof Malformed) return error.message;
  if (isValidationError(error)) return describe(error.issues as Issue[]);
  return `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
};

/**
 * Checks a part of a message (an event's `detail`) with `check`, naming failing fields from the
 * message's root (`detail.email`), as the whole message's schema would.
 */
export const checkPart = <T>(root: string, check: () => T): T => {
  try {
    return check();
  } catch (error) {
    if (isValidationError(error)) throw new Malformed(describe(error.issues as Issue[], root));
    throw error;
  }
};

/**
 * Reads a message body against its contract: JSON first, then `contract` (a schema's parse, or
 * any function that throws on what it does not accept). Throws Malformed with the reason.
 */
export const readMessage = <T>(body: string, contract: (value: unknown) => T): T => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Malformed('(message): not JSON');
  }
  try {
    return contract(value);
  } catch (error) {
    throw new Malformed(reasonOf(error));
  }
};
