/** The mail ledger in DynamoDB: one item per notification id, claimed, then completed. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { shanghaiDate } from '../domain/time.ts';
import type { MailLedger } from '../mail/send-notifications.ts';
import { ENTITY, keys } from './keys.ts';

/** `leaseMs`: longer than send-email's timeout, so a live sender never loses its claim (MAIL_CLAIM_LEASE_SECONDS). */
export const dynamoMailLedger = (
  db: DynamoDBDocumentClient,
  tableName: string,
  leaseMs = 180_000,
): MailLedger => ({
  async claim(mail, meta, now) {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.mail(mail.notificationId),
            entity: ENTITY.mail,
            notificationId: mail.notificationId,
            status: 'sending',
            leaseUntil: now.getTime() + leaseMs,
            detailType: meta.detailType,
            eventId: meta.eventId,
            to: mail.to,
            subject: mail.subject,
            claimedAt: now.toISOString(),
          },
          // Once claimed, never claimed again: given back only after SES refused the mail.
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const status = error.Item?.status?.S;
        if (status === 'sent') return 'sent';
        // In its SES call when its holder's lease ran out: the holder is gone, the outcome unknown.
        const leaseUntil = Number(error.Item?.leaseUntil?.N ?? Number.POSITIVE_INFINITY);
        if (status === 'sending' && leaseUntil < now.getTime()) return 'uncertain';
        return 'busy';
      }
      throw error;
    }
  },

  async complete(mail, messageId, sentAt, startedAt) {
    const sentAtIso = sentAt.toISOString();
    const index = keys.mailByDay(shanghaiDate(sentAt), sentAtIso, mail.notificationId);
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.mail(mail.notificationId),
        UpdateExpression:
          'SET #status = :sent, messageId = :messageId, sentAt = :sentAt, sendStartedAt = :startedAt, GSI1PK = :gpk, GSI1SK = :gsk REMOVE leaseUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':messageId': messageId,
          ':sentAt': sentAtIso,
          ':startedAt': startedAt.toISOString(),
          ':gpk': index.GSI1PK,
          ':gsk': index.GSI1SK,
        },
      }),
    );
  },

  async release(mail) {
    await db
      .send(
        new DeleteCommand({
          TableName: tableName,
          Key: keys.mail(mail.notificationId),
          // Only after SES refused it (a definite answer): the retry may send it.
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  },
});
