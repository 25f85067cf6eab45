/** If-Match (RFC 9110 §13.1.1): the one parser and comparison every route uses. */
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../shared/domain/errors.ts';
import { ifMatchHolds, ifMatchPrecondition, parseIfMatch } from '../../../shared/http/if-match.ts';

const holds = (header: string, current: string | null = '"v3"') =>
  ifMatchHolds(parseIfMatch(header)!, current);

describe('If-Match', () => {
  it('is absent when the header is', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(ifMatchPrecondition(undefined)).toBeUndefined();
  });

  it('reads "*" and lists of strong and weak tags, with empty elements and tags holding commas', () => {
    expect(parseIfMatch(' * ')).toEqual({ kind: 'any' });
    expect(parseIfMatch('"v3"')).toEqual({ kind: 'tags', tags: [{ weak: false, opaque: '"v3"' }] });
    expect(parseIfMatch(' ,W/"a,b" ,, "c" ,')).toEqual({
      kind: 'tags',
      tags: [
        { weak: true, opaque: '"a,b"' },
        { weak: false, opaque: '"c"' },
      ],
    });
    expect(parseIfMatch('""')).toEqual({ kind: 'tags', tags: [{ weak: false, opaque: '""' }] });
  });

  it('refuses what is not "*" nor an entity-tag list with InvalidInput, naming the header', () => {
    for (const bad of [
      'v3',
      '3',
      '"v3',
      'v3"',
      'W/v3',
      'w/"v3"',
      '"a" "b"',
      '*, "v3"',
      '**',
      '"a"b',
      '"sp ace"',
    ]) {
      let error: unknown;
      try {
        parseIfMatch(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).details).toEqual({
        errors: [{ field: 'If-Match', message: expect.any(String) }],
      });
    }
  });

  it('compares strongly: the same opaque tag, never a weak one', () => {
    expect(holds('"v3"')).toBe(true);
    expect(holds('"v2"')).toBe(false);
    expect(holds('"bars-stale"')).toBe(false);
    expect(holds('"V3"')).toBe(false);
    expect(holds('W/"v3"')).toBe(false);
    expect(holds('W/"v3", "v3"')).toBe(true);
    expect(holds('"x", "y", "v3"')).toBe(true);
    expect(holds('')).toBe(false);
  });

  it('"*" holds for any existing resource, and nothing holds for none', () => {
    expect(holds('*')).toBe(true);
    expect(holds('*', null)).toBe(false);
    expect(holds('"v3"', null)).toBe(false);
  });

  it('gives use cases a precondition to ask about the ETag they find', () => {
    const p = ifMatchPrecondition('"v1", "v2"')!;
    expect([p.holds('"v1"'), p.holds('"v2"'), p.holds('"v3"')]).toEqual([true, true, false]);
  });
});
