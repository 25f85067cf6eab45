/** Reading a message against its contract, and what a dead letter says of why (no values). */

import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { hrEventSchema } from '../../../events/hr.ts';
import type { DeadLetter } from '../../../shared/adapters/dead-letters.ts';
import { readBatch } from '../../../shared/adapters/sqs-consumer.ts';
import { checkPart, Malformed, readMessage } from '../../../shared/domain/malformed.ts';

const hire = (detail: Record<string, unknown>) =>
  JSON.stringify({ version: '0', id: 'x', source: 'university.hr', 'detail-type': 'EmployeeHired', detail });

const reasonFor = (body: string, contract: (v: unknown) => unknown) => {
  try {
    readMessage(body, contract);
  } catch (error) {
    expect(error).toBeInstanceOf(Malformed);
    return (error as Error).message;
  }
  throw new Error('read without complaint');
};

describe('readMessage', () => {
  it('names text that is not JSON', () => {
    expect(reasonFor('{"eventId":', (v) => v)).toBe('(message): not JSON');
  });

  it('names each failing field with its path and message, never the value sent', () => {
    const reason = reasonFor(
      hire({ eventId: 'e1', employeeId: 'T1', email: 'li.hua@example.edu.cn-not', gender: 'unknown' }),
      (v) => hrEventSchema.parse(v),
    );
    expect(reason).toMatch(/^detail\.\w+: /);
    expect(reason).toContain('detail.name: expected string');
    expect(reason).toContain('detail.email: not a valid email');
    expect(reason).toContain('detail.gender: expected one of "female", "male"');
    expect(reason).not.toContain('li.hua');
    expect(reason).not.toContain('unknown');
  });

  it('names fields of a part from the message root, and an unknown field itself', () => {
    const detail = z.strictObject({ memberId: z.string() });
    const reason = reasonFor(JSON.stringify({ detail: { memberId: 7, extra: 'x' } }), (v) =>
      checkPart('detail', () => detail.parse((v as { detail: unknown }).detail)),
    );
    expect(reason.split('; ').sort()).toEqual([
      'detail.extra: unknown field',
      'detail.memberId: expected string',
    ]);
  });
});

describe('readBatch', () => {
  const record = (messageId: string, body: string) =>
    ({ messageId, body, attributes: { ApproximateReceiveCount: '1' } }) as unknown as SQSRecord;

  it('dead-letters what fails its contract, returns the rest, and reports what the DLQ refused', async () => {
    const sent: DeadLetter[] = [];
    const queue = {
      send: async (letters: readonly DeadLetter[]) => {
        sent.push(...letters);
        return letters.filter((l) => l.id === 'refused').map((l) => l.id);
      },
    };
    const read = (body: string) => readMessage(body, (v) => z.object({ n: z.number() }).parse(v));
    const batch = await readBatch(
      [record('ok', '{"n":1}'), record('bad', '{"n":"one"}'), record('refused', 'nope')],
      read,
      queue,
    );
    expect(batch.readable.map((r) => [r.record.messageId, r.message])).toEqual([['ok', { n: 1 }]]);
    expect(sent).toEqual([
      { id: 'bad', body: '{"n":"one"}', reason: 'n: expected number' },
      { id: 'refused', body: 'nope', reason: '(message): not JSON' },
    ]);
    expect(batch.failed).toEqual(['refused']);
  });

  it('calls the DLQ only when something is malformed', async () => {
    let calls = 0;
    const queue = {
      send: async () => {
        calls++;
        return [];
      },
    };
    const batch = await readBatch([record('ok', '1')], (b) => readMessage(b, (v) => v), queue);
    expect([batch.readable.length, batch.failed, calls]).toEqual([1, [], 0]);
  });
});
