/**
 * enrol-member: the hr queue's consumer. Parses HR's events strictly; a malformed one is
 * reported as failed with its reason logged (after the queue's maxReceiveCount it rests in the
 * DLQ, intact, for a fix and a redrive). The valid events of the batch are applied together.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type HrEvent, hrEventSchema } from '../events/hr.ts';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoMemberRepository } from '../shared/adapters/member-repository-dynamodb.ts';
import { readEnumEnv, readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { newId } from '../shared/domain/ids.ts';
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

type Parsed = { ok: true; event: HrEvent } | { ok: false; reason: string };

const parse = (record: SQSRecord): Parsed => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = hrEventSchema.safeParse(body);
  if (!parsed.success) {
    // Field paths and messages only: the values may be personal data.
    const reason = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
      .join('; ');
    return { ok: false, reason };
  }
  return { ok: true, event: parsed.data };
};

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: string[] = [];
  const valid: Array<{ record: SQSRecord; event: HrEvent }> = [];
  for (const record of event.Records) {
    const parsed = parse(record);
    if (parsed.ok) {
      valid.push({ record, event: parsed.event });
      continue;
    }
    logger.error('Rejected an HR event', {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      reason: parsed.reason.slice(0, 1000),
    });
    failures.push(record.messageId);
  }
  if (valid.length > 0) {
    try {
      const result = await applyHrEvents(
        valid.map((v) => v.event),
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
