/**
 * open-bereavement: HR reported a member's death (MemberLeft, reason deceased): a bereavement
 * care request is opened for the chair, once, whatever the redeliveries.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { eventBridgeEnvelope } from '../events/domain.ts';
import { MemberLeft } from '../events/members.ts';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoCareRequestStore } from '../shared/adapters/care-request-store-dynamodb.ts';
import { dynamoCareStore } from '../shared/adapters/care-store-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { openBereavement, type RequestDeps } from '../shared/domain/care/requests.ts';
import { newId } from '../shared/domain/ids.ts';
import { logger } from '../shared/observability/logger.ts';

const tableName = readEnv(ENV.tableName);
const db = dynamoDocumentClient();
const deps: RequestDeps = {
  requests: dynamoCareRequestStore(db, tableName),
  care: dynamoCareStore(db, tableName),
  now: () => new Date(),
  newId,
};

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: string[] = [];
  for (const record of event.Records) {
    try {
      const left = MemberLeft.schema.parse(eventBridgeEnvelope.parse(JSON.parse(record.body)).detail);
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
