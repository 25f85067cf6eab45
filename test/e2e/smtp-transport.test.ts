/**
 * The smtp mail transport end to end (project e2e-smtp: the shared runtime sends through its
 * local SMTP server, STARTTLS and AUTH with the credentials send-email reads from the local
 * Secrets Manager, and has no SES at all, as in aws-cn). The mail-relevant files run here too
 * (vitest.config.ts); this file adds what only SMTP has: its pacing seen from the server, and
 * the server's answers injected at its own steps (a 4xx retried, a 5xx recorded with its reply,
 * a crash after the server accepted a mail).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { failedMail, uncertainMail } from '../../infra/cli/commands/mail.ts';
import type { FaultRule } from '../../infra/local/fault-proxy.ts';
import { shanghaiDate } from '../../shared/domain/time.ts';
import { recordFigure } from '../support/figures.ts';
import { SMTP_E2E_RATE } from './global-setup.ts';
import {
  db,
  hiredEvent,
  mails,
  mailsTo,
  memberByEmployee,
  publish,
  runtime,
  uniqueId,
  waitIdle,
} from './support.ts';

const emailOf = (id: string) => `${id.toLowerCase()}@example.edu.cn`;

const inject = async (rule: FaultRule) => {
  const res = await fetch(`${runtime().controlUrl}/faults/smtp`, {
    method: 'POST',
    body: JSON.stringify(rule),
  });
  expect(res.status).toBe(200);
};
const injected = async () =>
  ((await (await fetch(`${runtime().controlUrl}/faults`)).json()) as { smtp: Record<string, number> }).smtp;
const notifyDlq = async () =>
  (
    (await (await fetch(`${runtime().controlUrl}/status`)).json()) as {
      queues: { notify: { dlqVisible: number } };
    }
  ).queues.notify.dlqVisible;

/** When each mail sent since `from` started its send, from the mail ledger (what the pacer rules). */
const sendStarts = async (from: Date): Promise<number[]> => {
  const starts: number[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: runtime().tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :day',
        ExpressionAttributeValues: { ':day': `MAILDAY#${shanghaiDate(new Date())}` },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const at = Date.parse(String(item.sendStartedAt));
      if (at >= from.getTime()) starts.push(at);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return starts.sort((a, b) => a - b);
};

/** The most sends that started within any one second. */
const busiestSecond = (starts: number[]) => {
  let most = 0;
  for (let i = 0, j = 0; j < starts.length; j++) {
    while (starts[j]! - starts[i]! >= 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
};

describe('the smtp transport', () => {
  it('has no SES: the mail goes to the SMTP server, which is what the e2e tests read', () => {
    expect(runtime().mail.transport).toBe('smtp');
    expect(runtime().endpoints.ses).toBeUndefined();
    expect(runtime().endpoints.secretsmanager).toBeDefined();
  });

  it('sends each welcome mail once, paced to the set rate', async () => {
    const since = new Date();
    const ids = Array.from({ length: 30 }, (_, i) => uniqueId(`SP${i}X`));
    await publish(ids.map((id) => hiredEvent(id)));
    await waitIdle(120_000);

    const inbox = await mails();
    for (const id of ids)
      expect(
        inbox.filter((m) => m.to.includes(emailOf(id))),
        id,
      ).toHaveLength(1);
    // Each hire mails the member and (its department has no branch yet) the union office.
    const starts = await sendStarts(since);
    expect(starts.length).toBeGreaterThanOrEqual(2 * ids.length);
    const busiest = busiestSecond(starts);
    const spanSeconds = (starts.at(-1)! - starts[0]!) / 1000;
    recordFigure({
      id: 'mail.smtp.pacing',
      section: 'mail',
      what: `welcome and office mails of 30 hires through the local SMTP server at ${SMTP_E2E_RATE} mails/s (send starts from the mail ledger)`,
      counts: {
        mails: starts.length,
        'busiest second': busiest,
        'seconds first to last': Number(spanSeconds.toFixed(2)),
      },
      command: 'npx vitest run --project e2e-smtp',
    });
    expect(busiest).toBeLessThanOrEqual(SMTP_E2E_RATE);
    // At the rate, the mails cannot have gone faster than this (load only makes it slower).
    expect(spanSeconds).toBeGreaterThanOrEqual((starts.length - SMTP_E2E_RATE) / SMTP_E2E_RATE / 1.01);
  });

  it('retries a 4xx reply ("try again later") and sends the mail once', async () => {
    const id = uniqueId('ST');
    const before = (await injected()).throttle ?? 0;
    await inject({ kind: 'throttle', operation: 'RCPT', recipient: emailOf(id), count: 2 });
    await publish([hiredEvent(id)]);
    await waitIdle(90_000);
    expect((await injected()).throttle! - before).toBe(2);
    expect(await mailsTo(emailOf(id))).toHaveLength(1);
    expect((await failedMail({}, runtime())).filter((m) => m.to === emailOf(id))).toEqual([]);
    expect(await notifyDlq()).toBe(0);
  });

  it('records a 5xx reply as failed with the reply, does not retry it, and shows it to the operator', async () => {
    const id = uniqueId('SR');
    const before = (await injected()).reject ?? 0;
    await inject({ kind: 'reject', operation: 'RCPT', recipient: emailOf(id), count: 3 });
    await publish([hiredEvent(id)]);
    await waitIdle(90_000);

    // One refusal: the mail was not tried again (the rule had two more to give).
    expect((await injected()).reject! - before).toBe(1);
    expect(await mailsTo(emailOf(id))).toEqual([]);
    const failed = (await failedMail({}, runtime())).filter((m) => m.to === emailOf(id));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ subject: '欢迎加入工会 | Welcome to the trade union' });
    expect(failed[0]!.reply).toMatch(/^550 5\.1\.1 /);
    // The member is enrolled all the same, and nothing waits in a DLQ.
    expect(await memberByEmployee(id)).toMatchObject({ status: 'active' });
    expect(await notifyDlq()).toBe(0);
    await fetch(`${runtime().controlUrl}/faults`, { method: 'DELETE' });
  });

  it('sends a mail once when send-email crashes after the server accepted it, and leaves it uncertain', async () => {
    const id = uniqueId('SC');
    const before = (await injected())['crash-after'] ?? 0;
    await inject({ kind: 'crash-after', operation: 'DATA', recipient: emailOf(id), count: 1 });
    await publish([hiredEvent(id)]);
    await waitIdle(90_000);

    expect((await injected())['crash-after']! - before).toBe(1);
    // Accepted once by the server; the redelivered event did not send it again.
    expect(await mailsTo(emailOf(id))).toHaveLength(1);
    // The ledger could not know: an operator's matter, with the mail's notification id.
    const uncertain = (await uncertainMail({}, runtime())).filter((m) => m.to === emailOf(id));
    expect(uncertain).toHaveLength(1);
    expect(uncertain[0]!.notificationId).toMatch(/#welcome$/);
    expect(await notifyDlq()).toBe(0);

    // send-email comes back for the next mail.
    const next = uniqueId('SN');
    await publish([hiredEvent(next)]);
    await waitIdle(60_000);
    expect(await mailsTo(emailOf(next))).toHaveLength(1);
  });
});
