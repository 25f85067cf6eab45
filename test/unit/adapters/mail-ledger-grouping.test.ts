/**
 * How the mail ledger shares requests between mails (the coalescing logic, against a recording
 * stand-in for the DynamoDB client; the e2e and soak runs hold the same code to DynamoDB Local):
 * claims that come while others are under way go together in one transaction, a lost claim takes
 * its outcome from the cancellation reasons, and records of sent mails share BatchWriteItem
 * requests, with what DynamoDB leaves unprocessed sent again.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../../shared/adapters/batch-writer.ts';
import { dynamoMailLedger } from '../../../shared/adapters/mail-ledger-dynamodb.ts';
import type { OutgoingMail } from '../../../shared/mail/templates.ts';

type Sent = { name: string; input: Record<string, unknown> };

/** Records each command; `answer` decides what it returns or throws. */
const recorder = (answer: (cmd: Sent) => unknown = () => ({})) => {
  const sent: Sent[] = [];
  const db = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const cmd = { name: command.constructor.name, input: command.input };
      sent.push(cmd);
      await new Promise((r) => setTimeout(r, 5));
      return answer(cmd);
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
};

const mail = (id: string): OutgoingMail =>
  ({ notificationId: id, to: `${id}@example.edu.cn`, subject: 's', text: 't', html: 'h' }) as OutgoingMail;
const meta = { detailType: 'MemberEnrolled', eventId: 'e1' };
const now = new Date('2026-12-01T00:00:00Z');

describe('mail ledger claims', () => {
  it('claims a lone mail with one conditional PutItem, at once', async () => {
    const { db, sent } = recorder();
    const ledger = dynamoMailLedger(db, 't');
    expect(await ledger.claim(mail('a'), meta, now)).toBe('claimed');
    expect(sent.map((c) => c.name)).toEqual(['PutCommand']);
  });

  it('puts claims that come while one is under way into one transaction', async () => {
    const { db, sent } = recorder();
    const ledger = dynamoMailLedger(db, 't');
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((id) => ledger.claim(mail(id), meta, now)),
    );
    expect(outcomes).toEqual(['claimed', 'claimed', 'claimed', 'claimed', 'claimed']);
    expect(sent.map((c) => c.name)).toEqual(['PutCommand', 'TransactWriteCommand']);
    expect((sent[1]!.input.TransactItems as unknown[]).length).toBe(4);
  });

  it('takes a lost claim’s outcome from the cancellation reasons and puts the others one by one', async () => {
    const { db, sent } = recorder((cmd) => {
      if (cmd.name !== 'TransactWriteCommand') return {};
      throw new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: { status: { S: 'sent' } } },
          { Code: 'None' },
        ],
      });
    });
    const ledger = dynamoMailLedger(db, 't');
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((id) => ledger.claim(mail(id), meta, now)),
    );
    expect(outcomes).toEqual(['claimed', 'claimed', 'claimed', 'sent', 'claimed']);
    expect(sent.map((c) => c.name)).toEqual([
      'PutCommand',
      'TransactWriteCommand',
      'PutCommand',
      'PutCommand',
      'PutCommand',
    ]);
  });

  it('never puts one mail twice into one transaction', async () => {
    const { db, sent } = recorder();
    const ledger = dynamoMailLedger(db, 't');
    await Promise.all(['a', 'b', 'c', 'c', 'd'].map((id) => ledger.claim(mail(id), meta, now)));
    for (const c of sent.filter((x) => x.name === 'TransactWriteCommand')) {
      const ids = (c.input.TransactItems as Array<{ Put: { Item: { notificationId: string } } }>).map(
        (t) => t.Put.Item.notificationId,
      );
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('records a sent mail as the whole claimed item, status sent, without its lease', async () => {
    const { db, sent } = recorder();
    const ledger = dynamoMailLedger(db, 't');
    await ledger.claim(mail('a'), meta, now);
    await ledger.complete(mail('a'), 'm-1', now, now);
    const write = sent.find((c) => c.name === 'BatchWriteCommand')!;
    const item = (
      write.input.RequestItems as Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>>
    ).t![0]!.PutRequest.Item;
    expect(item).toMatchObject({
      notificationId: 'a',
      status: 'sent',
      messageId: 'm-1',
      eventId: 'e1',
      to: 'a@example.edu.cn',
    });
    expect(item).not.toHaveProperty('leaseUntil');
  });
});

describe('batch writer', () => {
  it('writes a lone put at once, and puts that come while two are under way together, 25 at most', async () => {
    const { db, sent } = recorder();
    const writer = createBatchWriter(db, 't');
    await Promise.all(Array.from({ length: 30 }, (_, i) => writer.put({ PK: `k${i}` })));
    const sizes = sent.map((c) => (c.input.RequestItems as Record<string, unknown[]>).t!.length);
    expect(sizes).toEqual([1, 1, 25, 3]);
  });

  it('sends unprocessed items again until DynamoDB takes them', async () => {
    let cut = false;
    const { db, sent } = recorder((cmd) => {
      const items = (cmd.input.RequestItems as Record<string, unknown[]>).t!;
      if (cut || items.length < 2) return {};
      cut = true;
      return { UnprocessedItems: { t: items.slice(1).map((Item) => Item) } };
    });
    const writer = createBatchWriter(db, 't', { inFlight: 1, sleep: async () => {} });
    await Promise.all(['a', 'b', 'c', 'd'].map((PK) => writer.put({ PK })));
    const sizes = sent.map((c) => (c.input.RequestItems as Record<string, unknown[]>).t!.length);
    expect(sizes).toEqual([1, 3, 2]);
  });

  it('rejects every put of a request DynamoDB refused', async () => {
    const { db } = recorder(() => {
      throw new Error('ProvisionedThroughputExceeded');
    });
    const writer = createBatchWriter(db, 't', { inFlight: 1 });
    const results = await Promise.allSettled([writer.put({ PK: 'a' }), writer.put({ PK: 'b' })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
