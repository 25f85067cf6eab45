import { describe, expect, it } from 'vitest';
import { HR_SOURCE } from '../../../events/hr.ts';
import {
  assertValidPattern,
  InvalidEventPatternError,
  matchesPattern,
} from '../../../infra/local/event-pattern.ts';
import { bus, functions } from '../../../infra/topology.ts';
import { MAIL_EVENT_TYPES } from '../../../shared/mail/mail-events.ts';

const event = (source: string, detailType: string, detail: Record<string, unknown> = {}) => ({
  version: '0',
  id: '0c2c1b6e-1111-2222-3333-444455556666',
  'detail-type': detailType,
  source,
  account: '000000000000',
  time: '2026-11-24T00:00:00Z',
  region: 'cn-north-1',
  resources: [],
  detail,
});

const rule = (id: string) => {
  const found = bus.rules.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found.pattern as Record<string, unknown>;
};

describe('the topology’s own patterns', () => {
  it('routes every HR event, and only HR events, to the HR queue', () => {
    const hr = rule('HrEventsToHrQueue');
    expect(matchesPattern(hr, event(HR_SOURCE, 'EmployeeHired'))).toBe(true);
    expect(matchesPattern(hr, event(HR_SOURCE, 'SomethingNew'))).toBe(true);
    expect(matchesPattern(hr, event('university.finance', 'EmployeeHired'))).toBe(false);
    expect(matchesPattern(hr, event(`${HR_SOURCE}.x`, 'EmployeeHired'))).toBe(false);
  });

  it('routes domain events with a mail template to the notify queue', () => {
    const mail = rule('MailEventsToNotifyQueue');
    for (const type of MAIL_EVENT_TYPES) {
      expect(matchesPattern(mail, event('gonghui.members', type))).toBe(true);
    }
    expect(matchesPattern(mail, event('gonghui.members', 'NoSuchMailEvent'))).toBe(false);
    // The detail-type alone is not enough: HR could never trigger a member's mail.
    expect(matchesPattern(mail, event(HR_SOURCE, MAIL_EVENT_TYPES[0]))).toBe(false);
  });

  it('every topology pattern is one AWS would accept', () => {
    for (const r of bus.rules)
      expect(() => assertValidPattern(r.pattern as Record<string, unknown>)).not.toThrow();
    const filter = functions['publish-outbox'].triggers[0].filter as Record<string, unknown>;
    expect(() => assertValidPattern(filter)).not.toThrow();
  });

  describe('the publish-outbox stream filter', () => {
    const filter = functions['publish-outbox'].triggers[0].filter as Record<string, unknown>;
    const record = (eventName: string, entity: string | undefined) => ({
      eventID: '1',
      eventName,
      eventSource: 'aws:dynamodb',
      awsRegion: 'cn-north-1',
      dynamodb: {
        Keys: { PK: { S: 'OUTBOX#1' }, SK: { S: 'EVENT#1' } },
        ...(entity === undefined ? {} : { NewImage: { entity: { S: entity }, PK: { S: 'OUTBOX#1' } } }),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });

    it('passes inserted outbox items', () => {
      expect(matchesPattern(filter, record('INSERT', 'OutboxEvent'))).toBe(true);
    });

    it('drops other entities, modifications, removals and records without a new image', () => {
      expect(matchesPattern(filter, record('INSERT', 'Member'))).toBe(false);
      expect(matchesPattern(filter, record('MODIFY', 'OutboxEvent'))).toBe(false);
      expect(matchesPattern(filter, record('REMOVE', undefined))).toBe(false);
      expect(matchesPattern(filter, record('INSERT', undefined))).toBe(false);
    });
  });
});

describe('matchesPattern', () => {
  it('matches exact strings, numbers, booleans and null, type-aware', () => {
    expect(matchesPattern({ a: ['x'] }, { a: 'x' })).toBe(true);
    expect(matchesPattern({ a: ['x'] }, { a: 'X' })).toBe(false);
    expect(matchesPattern({ a: [5] }, { a: 5 })).toBe(true);
    expect(matchesPattern({ a: [5] }, { a: '5' })).toBe(false);
    expect(matchesPattern({ a: ['5'] }, { a: 5 })).toBe(false);
    expect(matchesPattern({ a: [true] }, { a: true })).toBe(true);
    expect(matchesPattern({ a: [true] }, { a: 'true' })).toBe(false);
    expect(matchesPattern({ a: [null] }, { a: null })).toBe(true);
    expect(matchesPattern({ a: [null] }, {})).toBe(false);
    expect(matchesPattern({ a: [''] }, { a: '' })).toBe(true);
  });

  it('treats a list as OR and keys as AND', () => {
    const pattern = { a: ['x', 'y'], b: [1] };
    expect(matchesPattern(pattern, { a: 'y', b: 1 })).toBe(true);
    expect(matchesPattern(pattern, { a: 'y', b: 2 })).toBe(false);
    expect(matchesPattern(pattern, { a: 'z', b: 1 })).toBe(false);
  });

  it('matches an array field when any element matches', () => {
    expect(matchesPattern({ tags: ['b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(matchesPattern({ tags: ['c'] }, { tags: ['a', 'b'] })).toBe(false);
    expect(matchesPattern({ tags: ['c'] }, { tags: [] })).toBe(false);
    expect(matchesPattern({ n: [{ numeric: ['>', 10] }] }, { n: [1, 20] })).toBe(true);
  });

  it('follows nested objects and fails on a missing field', () => {
    const pattern = { detail: { member: { branch: ['B01'] } } };
    expect(matchesPattern(pattern, { detail: { member: { branch: 'B01', x: 1 } } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { member: {} } })).toBe(false);
    expect(matchesPattern(pattern, { detail: {} })).toBe(false);
    expect(matchesPattern(pattern, {})).toBe(false);
    expect(matchesPattern(pattern, { detail: { member: 'B01' } })).toBe(false);
    expect(matchesPattern({ a: ['x'] }, null)).toBe(false);
    expect(matchesPattern({ a: ['x'] }, 'x')).toBe(false);
  });

  it('applies a nested pattern to each object of an array, whole', () => {
    const pattern = { items: { kind: ['gift'], amount: [{ numeric: ['>=', 100] }] } };
    expect(
      matchesPattern(pattern, {
        items: [
          { kind: 'card', amount: 50 },
          { kind: 'gift', amount: 200 },
        ],
      }),
    ).toBe(true);
    // kind from one element and amount from another is not a match.
    expect(
      matchesPattern(pattern, {
        items: [
          { kind: 'gift', amount: 50 },
          { kind: 'card', amount: 200 },
        ],
      }),
    ).toBe(false);
  });

  it('prefix and suffix, with and without case', () => {
    expect(matchesPattern({ s: [{ prefix: 'gonghui.' }] }, { s: 'gonghui.members' })).toBe(true);
    expect(matchesPattern({ s: [{ prefix: 'gonghui.' }] }, { s: 'Gonghui.members' })).toBe(false);
    expect(
      matchesPattern({ s: [{ prefix: { 'equals-ignore-case': 'GONGHUI.' } }] }, { s: 'Gonghui.members' }),
    ).toBe(true);
    expect(matchesPattern({ s: [{ prefix: '1' }] }, { s: 12 })).toBe(false);
    expect(matchesPattern({ f: [{ suffix: '.png' }] }, { f: 'a.png' })).toBe(true);
    expect(matchesPattern({ f: [{ suffix: '.png' }] }, { f: 'a.PNG' })).toBe(false);
    expect(matchesPattern({ f: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { f: 'a.PNG' })).toBe(true);
    expect(matchesPattern({ f: [{ prefix: '' }] }, { f: 'anything' })).toBe(true);
  });

  it('equals-ignore-case', () => {
    expect(matchesPattern({ n: [{ 'equals-ignore-case': 'alice' }] }, { n: 'ALICE' })).toBe(true);
    expect(matchesPattern({ n: [{ 'equals-ignore-case': 'alice' }] }, { n: 'alicia' })).toBe(false);
    expect(matchesPattern({ n: [{ 'equals-ignore-case': '工会' }] }, { n: '工会' })).toBe(true);
  });

  it('anything-but: a value, a list, a prefix, a suffix, ignore-case, wildcard', () => {
    expect(matchesPattern({ s: [{ 'anything-but': 'init' }] }, { s: 'running' })).toBe(true);
    expect(matchesPattern({ s: [{ 'anything-but': 'init' }] }, { s: 'init' })).toBe(false);
    expect(matchesPattern({ s: [{ 'anything-but': 'init' }] }, {})).toBe(false);
    expect(matchesPattern({ s: [{ 'anything-but': ['a', 'b'] }] }, { s: 'b' })).toBe(false);
    expect(matchesPattern({ s: [{ 'anything-but': ['a', 'b'] }] }, { s: 'c' })).toBe(true);
    expect(matchesPattern({ n: [{ 'anything-but': [1, 2] }] }, { n: 2 })).toBe(false);
    expect(matchesPattern({ n: [{ 'anything-but': [1, 2] }] }, { n: 3 })).toBe(true);
    expect(matchesPattern({ r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'us-east-1' })).toBe(false);
    expect(matchesPattern({ r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'cn-north-1' })).toBe(true);
    expect(matchesPattern({ f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.png' })).toBe(false);
    expect(matchesPattern({ f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.jpg' })).toBe(true);
    expect(
      matchesPattern({ s: [{ 'anything-but': { 'equals-ignore-case': ['init'] } }] }, { s: 'INIT' }),
    ).toBe(false);
    expect(matchesPattern({ p: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { p: 'a/lib/b' })).toBe(
      false,
    );
    expect(matchesPattern({ p: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { p: 'a/src/b' })).toBe(true);
    // On an array, anything-but matches when some element is not excluded (AWS's documented caveat).
    expect(matchesPattern({ s: [{ 'anything-but': 'a' }] }, { s: ['a', 'b'] })).toBe(true);
    expect(matchesPattern({ s: [{ 'anything-but': 'a' }] }, { s: ['a'] })).toBe(false);
  });

  it('exists', () => {
    expect(matchesPattern({ a: [{ exists: true }] }, { a: 'x' })).toBe(true);
    expect(matchesPattern({ a: [{ exists: true }] }, { a: null })).toBe(true);
    expect(matchesPattern({ a: [{ exists: true }] }, {})).toBe(false);
    expect(matchesPattern({ a: [{ exists: false }] }, {})).toBe(true);
    expect(matchesPattern({ a: [{ exists: false }] }, { a: 0 })).toBe(false);
    expect(matchesPattern({ d: { a: [{ exists: false }] } }, {})).toBe(true);
    // exists only looks at leaves: an empty array or an object is not a leaf value.
    expect(matchesPattern({ a: [{ exists: true }] }, { a: [] })).toBe(false);
    expect(matchesPattern({ a: [{ exists: false }] }, { a: [] })).toBe(true);
    expect(matchesPattern({ a: [{ exists: true }] }, { a: { b: 1 } })).toBe(false);
  });

  it('numeric ranges and equality, numbers only', () => {
    const range = { c: [{ numeric: ['>', 0, '<=', 5] }] };
    expect(matchesPattern(range, { c: 5 })).toBe(true);
    expect(matchesPattern(range, { c: 0.5 })).toBe(true);
    expect(matchesPattern(range, { c: 0 })).toBe(false);
    expect(matchesPattern(range, { c: 6 })).toBe(false);
    expect(matchesPattern(range, { c: '3' })).toBe(false);
    expect(matchesPattern({ c: [{ numeric: ['=', 3.0] }] }, { c: 3 })).toBe(true);
    expect(matchesPattern({ c: [{ numeric: ['>=', 10] }] }, { c: 10 })).toBe(true);
    expect(matchesPattern({ c: [{ numeric: ['<', -1] }] }, { c: -2 })).toBe(true);
  });

  it('wildcard, with escapes', () => {
    expect(matchesPattern({ k: [{ wildcard: 'dir/*.png' }] }, { k: 'dir/a/b.png' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: 'dir/*.png' }] }, { k: 'dir/a.jpg' })).toBe(false);
    expect(matchesPattern({ k: [{ wildcard: 'a*b' }] }, { k: 'ab' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: 'a*b' }] }, { k: 'a.b' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: 'a.b' }] }, { k: 'axb' })).toBe(false);
    expect(matchesPattern({ k: [{ wildcard: 'a\\*b' }] }, { k: 'a*b' })).toBe(true);
    expect(matchesPattern({ k: [{ wildcard: 'a\\*b' }] }, { k: 'axb' })).toBe(false);
    expect(matchesPattern({ k: [{ wildcard: '*' }] }, { k: 5 })).toBe(false);
  });

  it('$or at the top and nested', () => {
    const pattern = {
      source: ['gonghui.members'],
      $or: [{ detail: { a: ['1'] } }, { detail: { b: ['2'] } }],
    };
    expect(matchesPattern(pattern, { source: 'gonghui.members', detail: { a: '1' } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'gonghui.members', detail: { b: '2' } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'gonghui.members', detail: { a: '2' } })).toBe(false);
    expect(matchesPattern(pattern, { source: 'other', detail: { a: '1' } })).toBe(false);
    const nested = { detail: { $or: [{ x: [{ numeric: ['>', 5] }] }, { y: [{ exists: false }] }] } };
    expect(matchesPattern(nested, { detail: { x: 9, y: 1 } })).toBe(true);
    expect(matchesPattern(nested, { detail: { x: 1 } })).toBe(true);
    expect(matchesPattern(nested, { detail: { x: 1, y: 1 } })).toBe(false);
  });

  it('mixes operators in one list', () => {
    const pattern = { s: ['exact', { prefix: 'pre-' }, { exists: false }] };
    expect(matchesPattern(pattern, { s: 'exact' })).toBe(true);
    expect(matchesPattern(pattern, { s: 'pre-x' })).toBe(true);
    expect(matchesPattern(pattern, {})).toBe(true);
    expect(matchesPattern(pattern, { s: 'other' })).toBe(false);
  });
});

describe('patterns AWS would refuse', () => {
  it.each([
    ['a bare scalar at a leaf', { source: 'x' }],
    ['an empty pattern', {}],
    ['an empty list', { source: [] }],
    ['an unknown operator', { a: [{ contains: 'x' }] }],
    ['two operators in one object', { a: [{ prefix: 'x', suffix: 'y' }] }],
    ['a bad numeric operator', { a: [{ numeric: ['!=', 1] }] }],
    ['a numeric operand that is not a number', { a: [{ numeric: ['>', '1'] }] }],
    ['two lower bounds', { a: [{ numeric: ['>', 1, '>=', 2] }] }],
    ['exists with a string', { a: [{ exists: 'yes' }] }],
    ['anything-but with mixed types', { a: [{ 'anything-but': ['a', 1] }] }],
    ['consecutive wildcards', { a: [{ wildcard: 'a**b' }] }],
    ['$or with one branch', { $or: [{ a: ['x'] }] }],
  ])('%s', (_, pattern) => {
    expect(() => matchesPattern(pattern as Record<string, unknown>, {})).toThrow(InvalidEventPatternError);
  });
});
