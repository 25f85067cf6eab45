/**
 * `gonghui dlq redrive --aws` against an SQS that has no managed redrive (fauxqs answers
 * StartMessageMoveTask with InvalidAction, as a region without the feature refuses it): the
 * queues of a stack are found by their names and redrive policies, in aws-cn the managed redrive
 * is not even tried, elsewhere its refusal falls back to receive → send → delete, and every dead
 * letter ends in its source queue, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redriveDlqOnAws, stackQueuePairs } from '../../../infra/cli/commands/dlq.ts';
import { type SqsLocal, startSqsLocal } from '../../../infra/local/sqs.ts';
import { partitionOf } from '../../../infra/partition.ts';

let dir: string;
let emulator: SqsLocal;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gonghui-redrive-'));
  emulator = await startSqsLocal({ dataDir: dir, region: 'cn-northwest-1' });
});
afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An SQS client in a region, recording the operations it sends. */
const client = (region: string) => {
  const sqs = new SQSClient({
    endpoint: emulator.endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const sent: string[] = [];
  sqs.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  return { sqs, sent };
};

/** A deployed stack's queues as CloudFormation names them: `<stack>-<LogicalId>-<suffix>`. */
const deployStack = async (sqs: SQSClient, stack: string) => {
  const url = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arnOf = async (u: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: u, AttributeNames: ['QueueArn'] }))).Attributes!
      .QueueArn!;
  const pair = async (logical: string) => {
    const dlqUrl = await url(`${stack}-${logical}DlqA1B2C3D4-1XYZ${logical.length}`);
    const queueUrl = await url(`${stack}-${logical}QueueE5F6A7B8-9QRS${logical.length}`);
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: 3 }),
        },
      }),
    );
    return { queueUrl, dlqUrl };
  };
  return { hr: await pair('Hr'), notify: await pair('Notify') };
};

const dead = async (sqs: SQSClient, dlqUrl: string, bodies: string[]) => {
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: body }));
};
const drain = async (sqs: SQSClient, url: string) => {
  const bodies: string[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!out.Messages?.length) return bodies.sort();
    bodies.push(...out.Messages.map((m) => m.Body!));
  }
};

describe('gonghui dlq redrive --aws', () => {
  it('finds a stack’s queues and their DLQs by name and redrive policy', async () => {
    const { sqs } = client('cn-northwest-1');
    const q = await deployStack(sqs, 'Find');
    const pairs = await stackQueuePairs(sqs, 'Find');
    expect(pairs.map((p) => [p.queue, p.dlqArn.split(':').pop()])).toEqual([
      ['hr', 'Find-HrDlqA1B2C3D4-1XYZ2'],
      ['notify', 'Find-NotifyDlqA1B2C3D4-1XYZ6'],
    ]);
    expect(pairs[0]!.dlqUrl.endsWith(q.hr.dlqUrl.split('/').pop()!)).toBe(true);
  });

  it('in aws-cn moves dead letters by receive → send → delete, without trying the managed redrive', async () => {
    const { sqs, sent } = client('cn-northwest-1');
    const q = await deployStack(sqs, 'China');
    await dead(sqs, q.hr.dlqUrl, ['a', 'b', 'c']);
    await dead(sqs, q.notify.dlqUrl, ['d']);
    const reports = await redriveDlqOnAws({ stack: 'China' }, sqs);
    expect(reports).toEqual([
      { queue: 'hr', moved: 3, how: 'receive-send-delete', note: 'aws-cn has no managed DLQ redrive' },
      { queue: 'notify', moved: 1, how: 'receive-send-delete', note: 'aws-cn has no managed DLQ redrive' },
    ]);
    expect(sent).not.toContain('StartMessageMoveTaskCommand');
    expect(await drain(sqs, q.hr.queueUrl)).toEqual(['a', 'b', 'c']);
    expect(await drain(sqs, q.notify.queueUrl)).toEqual(['d']);
    expect(await drain(sqs, q.hr.dlqUrl)).toEqual([]);
  });

  it('elsewhere tries the managed redrive first, and falls back when the service refuses it', async () => {
    const { sqs, sent } = client('eu-west-1');
    const q = await deployStack(sqs, 'Global');
    await dead(sqs, q.hr.dlqUrl, ['x', 'y']);
    const [report] = await redriveDlqOnAws({ stack: 'Global', queue: 'hr' }, sqs);
    expect(report).toMatchObject({ queue: 'hr', moved: 2, how: 'receive-send-delete' });
    expect(report!.note).toMatch(/^managed redrive unavailable \(InvalidAction/);
    expect(sent).toContain('StartMessageMoveTaskCommand');
    expect(await drain(sqs, q.hr.queueUrl)).toEqual(['x', 'y']);
  });

  it('says so when the stack has no such queue', async () => {
    const { sqs } = client('cn-north-1');
    await expect(redriveDlqOnAws({ stack: 'Nothing' }, sqs)).rejects.toThrow(
      'no queue of stack Nothing with a DLQ',
    );
  });
});

describe('the partition of a region', () => {
  it('agrees with CDK’s region table for every region CDK knows', () => {
    for (const region of RegionInfo.regions.map((r) => r.name)) {
      const cdk = RegionInfo.get(region).partition ?? 'aws';
      if (['aws', 'aws-cn', 'aws-us-gov'].includes(cdk)) expect(partitionOf(region), region).toBe(cdk);
    }
    expect(partitionOf('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOf(undefined)).toBe('aws');
  });
});
