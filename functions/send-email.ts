/**
 * send-email: the notify queue's consumer. Each message is a domain event (as EventBridge
 * delivered it); its template decides the mails; each mail goes out once, paced to the mail
 * transport's rate, through SES or an SMTP server (MAIL_TRANSPORT: the mailer port hides which).
 * An event with no template, or whose detail lacks what its template needs, goes to the notify
 * DLQ at once with the reason; a failed send (throttling, a timeout) is retried by the queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { eventBridgeEnvelope } from '../events/domain.ts';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoMailLedger } from '../shared/adapters/mail-ledger-dynamodb.ts';
import { readBatch } from '../shared/adapters/sqs-consumer.ts';
import { readEnv, readPositiveNumberEnv } from '../shared/config/config.ts';
import { ownDeadLetterQueue } from '../shared/config/dead-letters.ts';
import { ENV } from '../shared/config/env-names.ts';
import { mailerFromEnv } from '../shared/config/mail-deps.ts';
import { checkPart, readMessage } from '../shared/domain/malformed.ts';
import { createPacer } from '../shared/mail/pacer.ts';
import { type SendDeps, sendNotifications } from '../shared/mail/send-notifications.ts';
import { checkMailEvent } from '../shared/mail/templates.ts';
import { logger } from '../shared/observability/logger.ts';

const deps: SendDeps = {
  ledger: dynamoMailLedger(
    dynamoDocumentClient(),
    readEnv(ENV.tableName),
    readPositiveNumberEnv(ENV.mailClaimLeaseSeconds) * 1000,
  ),
  mailer: mailerFromEnv(),
  pacer: createPacer(readPositiveNumberEnv(ENV.mailMaxSendRate), readPositiveNumberEnv(ENV.mailConcurrency)),
  context: { unionContactEmail: readEnv(ENV.unionContactEmail) },
  now: () => new Date(),
};

// Records run in parallel: each takes its slot from the pacer, so the sends stay evenly spaced
// while the ledger writes and the transport's round trips of one mail overlap the wait for the next.
const processor = new BatchProcessor(EventType.SQS);

type MailEvent = ReturnType<typeof eventBridgeEnvelope.parse>;

/** A message's contract: an EventBridge event whose detail its mail template accepts. */
const readMailEvent = (body: string): MailEvent =>
  readMessage(body, (value) => {
    const event = eventBridgeEnvelope.parse(value);
    checkPart('detail', () => checkMailEvent(event['detail-type'], event.detail));
    return event;
  });

const deadLetters = ownDeadLetterQueue();

const sendEvent = async (record: SQSRecord, event: MailEvent): Promise<void> => {
  try {
    const result = await sendNotifications({ detailType: event['detail-type'], detail: event.detail }, deps);
    // An uncertain or failed mail is an operator's matter (`gonghui mail uncertain`, `gonghui mail
    // failed`), so it is a warning; the ledger has the reply, the log only the counts.
    (result.uncertain + result.failed > 0 ? logger.warn : logger.info).call(logger, 'Mail processed', {
      detailType: event['detail-type'],
      eventId: eventIdOf(event.detail),
      ...result,
    });
  } catch (error) {
    logger.error('Mail failed', {
      messageId: record.messageId,
      detailType: event['detail-type'],
      eventId: eventIdOf(event.detail),
      error: (error as Error).name,
      reason: (error as Error).message.slice(0, 500),
    });
    throw error;
  }
};

const eventIdOf = (detail: unknown) => (detail as { eventId?: unknown }).eventId;

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const { readable, failed } = await readBatch(event.Records, readMailEvent, deadLetters);
  const events = new Map(readable.map((r) => [r.record.messageId, r.message]));
  const sent =
    readable.length > 0
      ? await processPartialResponse(
          { Records: readable.map((r) => r.record) },
          (record: SQSRecord) => sendEvent(record, events.get(record.messageId)!),
          processor,
          { context, processInParallel: true, throwOnFullBatchFailure: false },
        )
      : { batchItemFailures: [] };
  return {
    batchItemFailures: [...failed.map((itemIdentifier) => ({ itemIdentifier })), ...sent.batchItemFailures],
  };
};
