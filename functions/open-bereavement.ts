/**
 * open-bereavement: HR reported a member's death (MemberLeft, reason deceased): a bereavement
 * care request is opened for the chair, once, whatever the redeliveries. A message that is not a
 * MemberLeft event goes to the care-events DLQ at once with the reason; a failure on the way is
 * retried by the queue.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { eventBridgeEnvelope } from '../events/domain.ts';
import { MemberLeft } from '../events/members.ts';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoCareRequestStore } from '../shared/adapters/care-request-store-dynamodb.ts';
import { dynamoCareStore } from '../shared/adapters/care-store-dynamodb.ts';
import { readBatch } from '../shared/adapters/sqs-consumer.ts';
import { readEnv } from '../shared/config/config.ts';
import { ownDeadLetterQueue } from '../shared/config/dead-letters.ts';
import { ENV } from '../shared/config/env-names.ts';
import { openBereavement, type RequestDeps } from '../shared/domain/care/requests.ts';
import { newId } from '../shared/domain/ids.ts';
import { checkPart, readMessage } from '../shared/domain/malformed.ts';
import { logger } from '../shared/observability/logger.ts';

const tableName = readEnv(ENV.tableName);
const db = dynamoDocumentClient();
const deps: RequestDeps = {
  requests: dynamoCareRequestStore(db, tableName),
  care: dynamoCareStore(db, tableName),
  now: () => new Date(),
  newId,
};

const deadLetters = ownDeadLetterQueue();
const readMemberLeft = (body: string) =>
  readMessage(body, (value) => {
    const { detail } = eventBridgeEnvelope.parse(value);
    return checkPart('detail', () => MemberLeft.schema.parse(detail));
  });

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { readable, failed } = await readBatch(event.Records, readMemberLeft, deadLetters);
  const failures = [...failed];
  for (const { record, message: left } of readable) {
    try {
      if (left.reason !== 'deceased') continue;
      const opened = await openBereavement(
        {
          memberId: left.memberId,
          employeeId: left.employeeId,
          branch: left.branch.code,
          date: left.departureDate,
        },
        deps,
      );
      logger.info('Bereavement request', { memberId: left.memberId, opened });
    } catch (error) {
      logger.error('Bereavement request failed', {
        messageId: record.messageId,
        reason: (error as Error).message.slice(0, 500),
      });
      failures.push(record.messageId);
    }
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
};
