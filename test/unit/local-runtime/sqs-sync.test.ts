/**
 * fauxqs's SQLite connection runs with synchronous=NORMAL (infra/local/sqs.ts): no fsync on the
 * runtime's main thread per SQS action, and a message sent before a stop is still there after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { fauxqsFile, relaxFauxqsSync, startSqsLocal } from '../../../infra/local/sqs.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gonghui-sqs-sync-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('fauxqs persistence', () => {
  it('opens its database with synchronous=NORMAL in WAL mode', async () => {
    await relaxFauxqsSync();
    const { PersistenceManager } = (await import(pathToFileURL(fauxqsFile('dist/persistence.js')).href)) as {
      PersistenceManager: new (dir: string) => { db: DatabaseSync; close(): void };
    };
    const manager = new PersistenceManager(tempDir());
    try {
      expect(manager.db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
      expect(manager.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    } finally {
      manager.close();
    }
  });

  it('keeps a sent message across a stop and a start', async () => {
    const dataDir = tempDir();
    const client = (endpoint: string) =>
      new SQSClient({
        endpoint,
        region: 'ap-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
    const first = await startSqsLocal({ dataDir, region: 'ap-east-1' });
    const { QueueUrl } = await client(first.endpoint).send(new CreateQueueCommand({ QueueName: 'kept' }));
    await client(first.endpoint).send(new SendMessageCommand({ QueueUrl, MessageBody: 'still here' }));
    await first.stop();
    const second = await startSqsLocal({ dataDir, region: 'ap-east-1' });
    try {
      const url = `${second.endpoint}${new URL(QueueUrl!).pathname}`;
      const out = await client(second.endpoint).send(
        new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }),
      );
      expect(out.Messages?.map((m) => m.Body)).toEqual(['still here']);
    } finally {
      await second.stop();
    }
  });
});
