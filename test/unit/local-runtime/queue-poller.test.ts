/** The SQS event source mapping's pure parts: the event Lambda builds and what gets deleted. */
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { LOCAL_PARTITION } from '../../../infra/local/local-env.ts';
import { messagesToDelete, settleSqsBatch, toSqsEvent } from '../../../infra/local/queue-poller.ts';

const ARN = `arn:${LOCAL_PARTITION}:sqs:ap-east-1:000000000000:gonghui-hr`;

const message = (id: string, extra: Partial<Message> = {}): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: `{"n":"${id}"}`,
  MD5OfBody: 'md5',
  Attributes: {
    ApproximateReceiveCount: '2',
    SentTimestamp: '1795473878680',
    SenderId: '000000000000',
    ApproximateFirstReceiveTimestamp: '1795473878685',
  },
  ...extra,
});

describe('the SQSEvent', () => {
  it('has the shape Lambda delivers, attributes passed through', () => {
    // Prepare
    const messages = [message('a')];
    // Act
    const event = toSqsEvent(messages, ARN, 'ap-east-1');
    // Assess
    expect(event).toEqual({
      Records: [
        {
          messageId: 'a',
          receiptHandle: 'rh-a',
          body: '{"n":"a"}',
          attributes: {
            ApproximateReceiveCount: '2',
            SentTimestamp: '1795473878680',
            SenderId: '000000000000',
            ApproximateFirstReceiveTimestamp: '1795473878685',
          },
          messageAttributes: {},
          md5OfBody: 'md5',
          eventSource: 'aws:sqs',
          eventSourceARN: ARN,
          awsRegion: 'ap-east-1',
        },
      ],
    });
  });

  it('camel-cases message attributes and carries binaries in base64', () => {
    const event = toSqsEvent(
      [
        message('b', {
          MD5OfMessageAttributes: 'attrs-md5',
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'hire' },
            blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
          },
        }),
      ],
      ARN,
      'ap-east-1',
    );
    const record = event.Records[0]!;
    expect(record.messageAttributes).toEqual({
      kind: { stringValue: 'hire', stringListValues: [], binaryListValues: [], dataType: 'String' },
      blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    expect(record.md5OfMessageAttributes).toBe('attrs-md5');
  });
});

describe('a response under ReportBatchItemFailures', () => {
  const ids = ['a', 'b', 'c'];

  it.each([undefined, null, {}, { batchItemFailures: [] }, { batchItemFailures: null }, 'done'])(
    'is a complete success for %j',
    (response) => {
      expect(settleSqsBatch(ids, response)).toEqual({ kind: 'success' });
    },
  );

  it('keeps exactly the reported messages', () => {
    const outcome = settleSqsBatch(ids, { batchItemFailures: [{ itemIdentifier: 'b' }] });
    expect(outcome).toEqual({ kind: 'partial', failedIds: new Set(['b']) });
    const deleted = messagesToDelete(
      ids.map((id) => message(id)),
      outcome,
    ).map((m) => m.MessageId);
    expect(deleted).toEqual(['a', 'c']);
  });

  it.each([
    [{ batchItemFailures: [{ itemIdentifier: '' }] }, 'missing or empty'],
    [{ batchItemFailures: [{ itemIdentifier: null }] }, 'missing or empty'],
    [{ batchItemFailures: [{ id: 'a' }] }, 'missing or empty'],
    [{ batchItemFailures: [{ itemIdentifier: 'z' }] }, 'not a message of the batch'],
    [{ batchItemFailures: 'a' }, 'not a list'],
  ])('makes the whole batch fail for %j', (response, reason) => {
    const outcome = settleSqsBatch(ids, response);
    expect(outcome.kind).toBe('failure');
    expect(outcome.kind === 'failure' && outcome.reason).toContain(reason);
    expect(
      messagesToDelete(
        ids.map((id) => message(id)),
        outcome,
      ),
    ).toEqual([]);
  });
});
