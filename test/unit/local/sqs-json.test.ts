/** Message bodies for the local SQS emulator: the same JSON value, in characters it takes. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { sqsJson } from '../../../infra/local/sqs-json.ts';

it('writes characters beyond the BMP as surrogate escapes, and the value parses back the same', () => {
  expect(sqsJson({ name: '𠮷野', mood: '😀' })).toBe('{"name":"\\ud842\\udfb7野","mood":"\\ud83d\\ude00"}');
  fc.assert(
    fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
      const body = sqsJson(value);
      expect(/[\u{10000}-\u{10FFFF}]/u.test(body)).toBe(false);
      expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(value)));
    }),
  );
});
