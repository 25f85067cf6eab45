/**
 * `gonghui mail list`: the mail the local runtime sent, whichever its transport (the SES emulator
 * and the local SMTP server serve it the same way, `/store`); `gonghui mail uncertain` and
 * `gonghui mail failed`: what the mail ledger holds for an operator, locally or (`--aws --table`)
 * in a deployed stack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ENTITY } from '../../../shared/adapters/keys.ts';
import { CliError, loadRuntimeInfo, localClientConfig, type RuntimeInfo } from '../runtime-info.ts';

export interface SentMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  /** Epoch seconds. */
  at: number;
  /** The SMTP server only: when it had the whole message, epoch ms. */
  receivedAtMs?: number;
}

interface StoreEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
  receivedAtMs?: number;
}

/**
 * Every mail the runtime's transport received: the one reader for both sinks (they serve the
 * same `/store`), so a test or an operator reads "sent mail" without knowing the transport.
 */
export const listMail = async (info: Pick<RuntimeInfo, 'mail'> = loadRuntimeInfo()): Promise<SentMail[]> => {
  const res = await fetch(`${info.mail.storeUrl}/store`);
  if (!res.ok) throw new Error(`the ${info.mail.transport} mail sink answered ${res.status}`);
  const store = (await res.json()) as { emails: StoreEmail[] };
  return store.emails.map((e) => ({
    messageId: e.messageId,
    from: e.from,
    to: e.destination.to,
    subject: e.subject,
    ...(e.body.text !== undefined ? { text: e.body.text } : {}),
    ...(e.body.html !== undefined ? { html: e.body.html } : {}),
    at: e.at,
    ...(e.receivedAtMs !== undefined ? { receivedAtMs: e.receivedAtMs } : {}),
  }));
};

/** The ledger's table: the local runtime's, or a deployed stack's (`--aws --table NAME`). */
const ledgerTable = (opts: { aws?: boolean; table?: string }, info?: RuntimeInfo) => {
  if (opts.aws) {
    if (!opts.table) throw new CliError('--aws needs --table NAME (the deployed stack prints it)');
    return { db: DynamoDBDocumentClient.from(new DynamoDBClient({})), table: opts.table };
  }
  const local = info ?? loadRuntimeInfo();
  return {
    db: DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(local, local.endpoints.dynamodb))),
    table: local.tableName,
  };
};

/** Mail items matching a filter. A scan: an operator's rare command, not a hot path. */
const scanMail = async (
  opts: { aws?: boolean; table?: string },
  info: RuntimeInfo | undefined,
  filter: string,
  values: Record<string, unknown>,
) => {
  const { db, table } = ledgerTable(opts, info);
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: `entity = :mail AND (${filter})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':mail': ENTITY.mail, ...values },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};

/**
 * `gonghui mail uncertain`: mails whose sender died during its send, or lost the answer to a
 * message it had handed over whole. They are never sent again automatically (that could send
 * them twice); an operator checks with the recipient or the mail server's log (an SMTP mail's
 * Message-ID is made from its notification id) and resends by hand.
 */
export const uncertainMail = async (opts: { aws?: boolean; table?: string } = {}, info?: RuntimeInfo) =>
  (
    await scanMail(opts, info, '#status = :uncertain OR (#status = :sending AND leaseUntil < :now)', {
      ':uncertain': 'uncertain',
      ':sending': 'sending',
      ':now': Date.now(),
    })
  ).map((item) => ({
    notificationId: String(item.notificationId),
    to: String(item.to),
    subject: String(item.subject),
    eventId: String(item.eventId),
    sendingSince: String(item.claimedAt),
    ...(item.reason ? { reason: String(item.reason) } : {}),
  }));

/**
 * `gonghui mail failed`: mails the transport refused for good (an SMTP 5xx reply to the recipient
 * or the message), with the server's reply. Not retried: fix the address (HR's record) or the
 * content, and the next event mails again.
 */
export const failedMail = async (opts: { aws?: boolean; table?: string } = {}, info?: RuntimeInfo) =>
  (await scanMail(opts, info, '#status = :failed', { ':failed': 'failed' })).map((item) => ({
    notificationId: String(item.notificationId),
    to: String(item.to),
    subject: String(item.subject),
    eventId: String(item.eventId),
    failedAt: String(item.failedAt),
    reply: String(item.reply),
  }));
