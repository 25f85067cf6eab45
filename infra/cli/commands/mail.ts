/** `gonghui mail list`: what the SES emulator received (the local inbox); `gonghui mail uncertain`. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ENTITY } from '../../../shared/adapters/keys.ts';
import { loadRuntimeInfo, localClientConfig } from '../runtime-info.ts';

export interface SentMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  at: number;
}

interface StoreEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export const listMail = async (sesEndpoint = loadRuntimeInfo().endpoints.ses): Promise<SentMail[]> => {
  const res = await fetch(`${sesEndpoint}/store`);
  if (!res.ok) throw new Error(`SES emulator answered ${res.status}`);
  const store = (await res.json()) as { emails: StoreEmail[] };
  return store.emails.map((e) => ({
    messageId: e.messageId,
    from: e.from,
    to: e.destination.to,
    subject: e.subject,
    ...(e.body.text !== undefined ? { text: e.body.text } : {}),
    ...(e.body.html !== undefined ? { html: e.body.html } : {}),
    at: e.at,
  }));
};

/**
 * `gonghui mail uncertain`: mails whose sender died during its SES call. They are never sent
 * again automatically (that could send them twice); an operator checks with the recipient or SES
 * and resends by hand. A scan of the table: an operator's rare command, not a hot path.
 */
export const uncertainMail = async (info = loadRuntimeInfo()) => {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
  );
  const found: Array<{
    notificationId: string;
    to: string;
    subject: string;
    eventId: string;
    sendingSince: string;
  }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({
        TableName: info.tableName,
        FilterExpression: 'entity = :mail AND #status = :sending AND leaseUntil < :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':mail': ENTITY.mail, ':sending': 'sending', ':now': Date.now() },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      found.push({
        notificationId: String(item.notificationId),
        to: String(item.to),
        subject: String(item.subject),
        eventId: String(item.eventId),
        sendingSince: String(item.sendingSince),
      });
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
};
