/**
 * Dead letters, sent by the consumer itself. A message that fails its contract can never
 * succeed: retried, it would only wait out the queue's maxReceiveCount × visibility timeout
 * (3 minutes on the hr queue, an hour on notify) and then rest in the DLQ saying nothing of why.
 * So a consumer puts it in its own DLQ at once, body unchanged (a redrive sends it back as it
 * came), with two message attributes: `reason` (field paths and messages, never the values: they
 * may be personal data) and `consumer` (the function that refused it). `gonghui dlq list` shows
 * both. Failures that may pass on a retry (throttling, timeouts, conflicts) never come here: they
 * keep the queue's retries, and after maxReceiveCount SQS's own redrive moves them.
 *
 * A function may send to its own dead-letter queue only (topology `access.deadLetters`: a queue
 * trigger's DLQ, or a stream trigger's on-failure queue), named by DEAD_LETTER_QUEUE_URL.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** The message attributes a dead letter carries (SQS attribute names). */
export const DEAD_LETTER_ATTRIBUTES = { reason: 'reason', consumer: 'consumer' } as const;

export interface DeadLetter {
  /** Identifies the message to the caller (an SQS message id, a stream sequence number). */
  id: string;
  body: string;
  reason: string;
}

export interface DeadLetterQueue {
  /**
   * Puts the letters in the DLQ. Resolves with the ids of those it could not put there: the
   * caller reports them as failed, so they are delivered again rather than lost.
   */
  send(letters: readonly DeadLetter[]): Promise<string[]>;
}

/** SQS allows 256 characters a name and 256 KiB a message; a reason this long says enough. */
const MAX_REASON = 2_000;
/** Entries per SendMessageBatch (SQS's limit) and bytes per batch, well under SQS's total. */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 200 * 1024;

/** Batches of at most BATCH_ENTRIES entries and about BATCH_BYTES. */
const batches = (letters: readonly DeadLetter[]): DeadLetter[][] => {
  const out: DeadLetter[][] = [];
  let current: DeadLetter[] = [];
  let bytes = 0;
  for (const letter of letters) {
    const size = Buffer.byteLength(letter.body) + Buffer.byteLength(letter.reason);
    if (current.length > 0 && (current.length === BATCH_ENTRIES || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(letter);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
};

export const sqsDeadLetterQueue = (
  sqs: SQSClient,
  queueUrl: string,
  consumer: string,
  log?: (message: string, details: Record<string, unknown>) => void,
): DeadLetterQueue => ({
  async send(letters) {
    const failed: string[] = [];
    for (const batch of batches(letters)) {
      try {
        const out = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((letter, i) => ({
              Id: String(i),
              MessageBody: letter.body,
              MessageAttributes: {
                [DEAD_LETTER_ATTRIBUTES.reason]: {
                  DataType: 'String',
                  StringValue: letter.reason.slice(0, MAX_REASON) || 'malformed',
                },
                [DEAD_LETTER_ATTRIBUTES.consumer]: { DataType: 'String', StringValue: consumer },
              },
            })),
          }),
        );
        for (const f of out.Failed ?? []) {
          failed.push(batch[Number(f.Id)]!.id);
          log?.('A dead letter was refused by its DLQ', { code: f.Code, reason: f.Message });
        }
      } catch (error) {
        failed.push(...batch.map((l) => l.id));
        log?.('Sending dead letters failed', {
          error: (error as Error).name,
          reason: (error as Error).message,
        });
      }
    }
    return failed;
  },
});
