/**
 * send-email: the notify queue's consumer. Each message is a domain event (as EventBridge
 * delivered it); its template decides the mails; each mail goes out once, paced to the mail
 * transport's rate, through SES or an SMTP server (MAIL_TRANSPORT: the mailer port hides which).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { eventBridgeEnvelope } from '../events/domain.ts';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoMailLedger } from '../shared/adapters/mail-ledger-dynamodb.ts';
import { readEnv, readPositiveNumberEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { mailerFromEnv } from '../shared/config/mail-deps.ts';
import { createPacer } from '../shared/mail/pacer.ts';
import { type SendDeps, sendNotifications } from '../shared/mail/send-notifications.ts';
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

const sendForRecord = async (record: SQSRecord): Promise<void> => {
  let event: ReturnType<typeof eventBridgeEnvelope.parse>;
  try {
    event = eventBridgeEnvelope.parse(JSON.parse(record.body));
  } catch (error) {
    logger.error('Rejected a message that is not an EventBridge event', {
      messageId: record.messageId,
      reason: (error as Error).message.slice(0, 500),
    });
    throw error;
  }
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

export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, sendForRecord, processor, {
    context,
    processInParallel: true,
    throwOnFullBatchFailure: false,
  });
