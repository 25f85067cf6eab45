/**
 * If-Match as RFC 9110 §13.1.1 defines it, for every route that takes it: one parser and one
 * comparison, so no route invents its own reading.
 *
 *   If-Match = "*" / #entity-tag          entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE
 *
 * - `*` holds for any existing resource;
 * - a list of entity tags holds when one of them matches the current ETag by strong comparison:
 *   a weak tag (`W/"…"`) never matches, and the opaque tags must be equal character for character;
 * - a well-formed tag that does not match, whatever its text, is a failed precondition (412);
 * - only a value that is not an entity-tag list at all is a bad request (400).
 */
import { InvalidInput } from '../domain/errors.ts';
import type { Precondition } from '../domain/precondition.ts';

export interface EntityTag {
  weak: boolean;
  /** The tag with its quotes, as it is compared: `"v3"`. */
  opaque: string;
}

export type IfMatch = { kind: 'any' } | { kind: 'tags'; tags: EntityTag[] };

/** etagc = %x21 / %x23-7E / obs-text (%x80-FF): visible characters but the double quote. */
const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7E\x80-\xFF]*")/;

const notAList = (): never => {
  throw new InvalidInput(
    'If-Match 不是实体标签列表 / If-Match must be "*" or a list of entity tags, such as "v3"',
    { errors: [{ field: 'If-Match', message: 'not "*" nor a list of entity tags' }] },
  );
};

/** Parses an If-Match value; absent stays absent. A value that is no entity-tag list throws InvalidInput (400). */
export const parseIfMatch = (value: string | undefined): IfMatch | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '*') return { kind: 'any' };
  const tags: EntityTag[] = [];
  // #entity-tag: elements separated by commas with optional whitespace; empty elements are
  // allowed (RFC 9110 §5.6.1.2). A tag may contain a comma, so the list is read tag by tag.
  let rest = trimmed;
  while (rest.length > 0) {
    if (rest.startsWith(',')) {
      rest = rest.slice(1).trimStart();
      continue;
    }
    const m = ENTITY_TAG.exec(rest);
    if (!m) return notAList();
    tags.push({ weak: m[1] !== undefined, opaque: m[2]! });
    rest = rest.slice(m[0].length).trimStart();
    if (rest.length > 0 && !rest.startsWith(',')) return notAList();
  }
  return { kind: 'tags', tags };
};

/** Strong comparison (RFC 9110 §8.8.3.2): neither tag weak, and the same opaque tag. */
export const strongMatch = (tag: EntityTag, current: EntityTag): boolean =>
  !tag.weak && !current.weak && tag.opaque === current.opaque;

/** Does the condition hold for a resource whose current strong ETag is `currentEtag` (null: none)? */
export const ifMatchHolds = (condition: IfMatch, currentEtag: string | null): boolean => {
  if (currentEtag === null) return false;
  if (condition.kind === 'any') return true;
  const current = { weak: false, opaque: currentEtag };
  return condition.tags.some((tag) => strongMatch(tag, current));
};

/** The If-Match header of a request as a use case's precondition (undefined when absent). */
export const ifMatchPrecondition = (value: string | undefined): Precondition | undefined => {
  const condition = parseIfMatch(value);
  if (!condition) return undefined;
  return { holds: (etag: string) => ifMatchHolds(condition, etag) };
};
