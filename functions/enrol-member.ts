/**
 * enrol-member: the hr queue's consumer. Parses HR's events strictly; a malformed one is
 * reported as failed with its reason logged (after the queue's maxReceiveCount it rests in the
 * DLQ, intact, for a fix and a redrive). Hires in the batch are enrolled together.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type EmployeeHired, hrEventSchema } from '../events/hr.ts';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoEnrolmentRepository } from '../shared/adapters/member-repository-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { enrolHires } from '../shared/domain/members/enrol-hires.ts';
import { newId } from '../shared/domain/ids.ts';
import { logger } from '../shared/observability/logger.ts';

const repo = dynamoEnrolmentRepository(dynamoDocumentClient(), readEnv(ENV.tableName));
const membershipPrefix = readEnv(ENV.membershipPrefix);

const parse = (record: SQSRecord) => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return { ok: false as const, reason: 'body is not JSON' };
  }
  const parsed = hrEventSchema.safeParse(body);
  if (!parsed.success) {
    // Field paths and messages only: the values may be personal data.
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
    return { ok: false as const, reason };
  }
  return { ok: true as const, event: parsed.data };
};

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: string[] = [];
  const hires: Array<{ record: SQSRecord; detail: EmployeeHired }> = [];
  for (const record of event.Records) {
    const parsed = parse(record);
    if (!parsed.ok) {
      logger.error('Rejected an HR event', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        reason: parsed.reason.slice(0, 1000),
      });
      failures.push(record.messageId);
      continue;
    }
    if (parsed.event['detail-type'] === 'EmployeeHired') {
      hires.push({ record, detail: parsed.event.detail });
    } else {
      // The life-cycle events are applied by a later release: keep them (retry, then DLQ for redrive).
      logger.warn('HR event type not handled yet', { detailType: parsed.event['detail-type'], eventId: parsed.event.detail.eventId });
      failures.push(record.messageId);
    }
  }
  if (hires.length > 0) {
    try {
      const outcomes = await enrolHires(
        hires.map((h) => h.detail),
        { repo, membershipPrefix, now: () => new Date(), newId },
      );
      for (const h of hires) {
        logger.info('Hire applied', { eventId: h.detail.eventId, outcome: outcomes.get(h.detail.employeeId) });
      }
    } catch (error) {
      logger.error('Enrolment failed', { error: (error as Error).name, reason: (error as Error).message });
      failures.push(...hires.map((h) => h.record.messageId));
    }
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
};
