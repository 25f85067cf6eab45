/**
 * Puts coalesced into BatchWriteItem requests: each `put` waits (at most `lingerMs`) for others
 * to share its request, up to 25 items, and resolves once DynamoDB has its item. Unconditional
 * puts only (BatchWriteItem takes no conditions); what DynamoDB hands back unprocessed is sent
 * again with a growing pause.
 *
 * Why: send-email records every sent mail. One UpdateItem per mail made the mail ledger the
 * largest share of DynamoDB Local's work in the 5,000-hire run (10,000 single writes beside 200
 * enrolment transactions); with the ledger's writes taken out, the same run went 68 → 161 hires/s.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_ITEMS = 25;
const MAX_ATTEMPTS = 8;

export interface BatchWriter {
  put(item: Record<string, unknown>): Promise<void>;
}

interface Pending {
  item: Record<string, unknown>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export const createBatchWriter = (
  db: DynamoDBDocumentClient,
  tableName: string,
  opts: { lingerMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): BatchWriter => {
  const lingerMs = opts.lingerMs ?? 20;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;

  const write = async (batch: Pending[]) => {
    let left = batch.map((p) => p.item);
    for (let attempt = 1; left.length > 0; attempt++) {
      const out = await db.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: left.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      left = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [r.PutRequest.Item] : [],
      );
      if (left.length === 0) return;
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`${left.length} item(s) left unprocessed after ${attempt} attempts`);
      await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queue.splice(0, MAX_ITEMS);
    if (queue.length > 0) timer = setTimeout(flush, 0);
    if (batch.length === 0) return;
    write(batch).then(
      () => {
        for (const p of batch) p.resolve();
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  };

  return {
    put: (item) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (queue.length >= MAX_ITEMS) flush();
        else timer ??= setTimeout(flush, lingerMs);
      }),
  };
};
