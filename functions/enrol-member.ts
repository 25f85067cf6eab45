/**
 * enrol-member: the hr queue's consumer. Parses HR's events strictly; a malformed one goes to the
 * hr DLQ at once, intact (for a fix and a redrive), with its reason and this function's name as
 * message attributes. The valid events of the batch are applied together; if that fails
 * (throttling, a timeout, a conflict) they are retried by the queue.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type HrEvent, hrEventSchema } from '../events/hr.ts';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoMemberRepository } from '../shared/adapters/member-repository-dynamodb.ts';
import { readBatch } from '../shared/adapters/sqs-consumer.ts';
import { readEnumEnv, readEnv } from '../shared/config/config.ts';
import { ownDeadLetterQueue } from '../shared/config/dead-letters.ts';
import { ENV } from '../shared/config/env-names.ts';
import { newId } from '../shared/domain/ids.ts';
import { readMessage } from '../shared/domain/malformed.ts';
import { applyHrEvents } from '../shared/domain/members/apply-hr-events.ts';
import { newInvitationToken } from '../shared/domain/members/invitation-token.ts';
import type { EnrolmentSettings } from '../shared/domain/members/member.ts';
import { logger } from '../shared/observability/logger.ts';

const repo = dynamoMemberRepository(dynamoDocumentClient(), readEnv(ENV.tableName));
const membershipPrefix = readEnv(ENV.membershipPrefix);
const enrolment: EnrolmentSettings = {
  mode: readEnumEnv(ENV.enrolmentMode, ['automatic', 'confirm'] as const),
  dispatched: readEnumEnv(ENV.dispatchedStaff, ['enrol', 'skip'] as const),
  invitationUrl: readEnv(ENV.invitationUrl),
};

const deadLetters = ownDeadLetterQueue();
const readHrEvent = (body: string): HrEvent => readMessage(body, (value) => hrEventSchema.parse(value));

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  // Events that fail HR's contract are in the DLQ now, with the reason; only those the DLQ did
  // not take are reported as failed.
  const { readable: valid, failed } = await readBatch(event.Records, readHrEvent, deadLetters);
  const failures = [...failed];
  if (valid.length > 0) {
    try {
      const result = await applyHrEvents(
        valid.map((v) => v.message),
        { repo, membershipPrefix, now: () => new Date(), newId, enrolment, newInvitationToken },
      );
      logger.info('HR events applied', { events: valid.length, ...result });
    } catch (error) {
      logger.error('Applying HR events failed', {
        error: (error as Error).name,
        reason: (error as Error).message,
      });
      failures.push(...valid.map((v) => v.record.messageId));
    }
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
};
