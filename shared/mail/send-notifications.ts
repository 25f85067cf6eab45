/**
 * The send-email use case: for one domain event, render its mails and send each exactly once,
 * through whichever transport the deployment has (SES, or an SMTP server): the mailer port hides
 * which.
 *
 * Never twice: each mail is claimed in the mail ledger (a conditional write on its notification
 * id, status `sending`) at its pacer turn, right before the send, and recorded `sent` after.
 * A redelivered event finds the mail sent and skips it. A mail left `sending` by a holder that
 * died is not sent again once its lease has run out: nobody can tell whether the transport took
 * it (SES has no idempotency key; an SMTP server's 250 may have been the last thing the dead
 * holder never read); it stays in the ledger as uncertain, for an operator (`gonghui mail
 * uncertain`), instead of risking a second copy. (Seen before: 12 duplicates when the runtime
 * was killed in a 2,000-mail run, with claims that expired and were sent again.)
 *
 * What the transport answers decides the rest, the same for both transports:
 * - "not now" (SES throttling, an SMTP 4xx reply, a connection that failed before the message
 *   was handed over): retried with backoff; after the last try the claim is given back and the
 *   queue's retry sends the mail later;
 * - "never" (an SMTP 5xx reply to the recipient or the message): recorded `failed` with the
 *   reply, not retried; `gonghui mail failed` shows it;
 * - no answer after the whole message was handed over: recorded `uncertain` at once, not retried.
 */
import { RetryLater } from '../domain/errors.ts';
import type { Pacer, PacerSlot } from './pacer.ts';
import type { MailContext, OutgoingMail } from './templates.ts';
import { renderEventMails } from './templates.ts';

export interface MailLedger {
  /**
   * 'claimed' if this caller may send now; 'sent' if it was sent before; 'busy' if another holds
   * it; 'uncertain' if a holder died during its send, or lost the answer (never sent again
   * automatically); 'failed' if the transport refused it for good before.
   */
  claim(mail: OutgoingMail, meta: { detailType: string; eventId: string }, now: Date): Promise<ClaimOutcome>;
  /** `startedAt`: when the send began (what the pacer controls and the transport counts). */
  complete(mail: OutgoingMail, messageId: string, sentAt: Date, startedAt: Date): Promise<void>;
  /** Gives the claim up after a definite "not now" so a retry need not wait for the lease. */
  release(mail: OutgoingMail): Promise<void>;
  /** The transport refused the mail for good: kept as `failed` with its reply, never retried. */
  fail(mail: OutgoingMail, reply: string, at: Date): Promise<void>;
  /** The answer to a fully handed-over mail was lost: kept as `uncertain` for an operator. */
  markUncertain(mail: OutgoingMail, reason: string, at: Date): Promise<void>;
}

export type ClaimOutcome = 'claimed' | 'sent' | 'busy' | 'uncertain' | 'failed';

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * The transport answered "not now", or never got the message: SES throttling, an SMTP 4xx reply,
 * an SMTP connection that failed before the message was handed over. Retried with backoff; the
 * mail was certainly not taken, so the claim may be given back.
 */
export class MailThrottled extends Error {
  override name = 'MailThrottled';
}

/**
 * The transport refused the mail for good (an SMTP 5xx reply to the recipient or to the message:
 * no such mailbox, content refused). `reply` is the server's reply, kept in the ledger for the
 * operator; the message says only its codes (a reply may name the address: not for logs).
 */
export class MailRejected extends Error {
  override name = 'MailRejected';
  constructor(
    message: string,
    readonly reply: string,
  ) {
    super(message);
  }
}

/**
 * The whole message was handed over and then the answer was lost (the connection dropped or timed
 * out before the server's reply to it). The server has most likely taken it: never retried.
 */
export class MailUncertain extends Error {
  override name = 'MailUncertain';
}

/**
 * The connection failed (reset, hang-up, timeout) before an answer came. Mostly a keep-alive
 * socket the server had just closed, so the request never arrived; retried like a throttle.
 * (Had SES taken it, the retry sends twice; giving up instead would also send twice, later, from
 * the queue's redelivery, after the visibility timeout.)
 */
export class MailTransient extends Error {
  override name = 'MailTransient';
}

export interface SendDeps {
  ledger: MailLedger;
  mailer: Mailer;
  pacer: Pacer;
  context: MailContext;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per mail when SES throttles, before the message goes back to the queue. */
  maxThrottleRetries?: number;
}

export interface SendResult {
  sent: number;
  skipped: number;
  /** Mails a dead holder left in its send, or whose answer was lost: not sent again (see above). */
  uncertain: number;
  /** Mails the transport refused for good (now or before): in the ledger with the reply. */
  failed: number;
}

export const sendNotifications = async (
  event: { detailType: string; detail: unknown },
  deps: SendDeps,
): Promise<SendResult> => {
  const mails = renderEventMails(event.detailType, event.detail, deps.context);
  const eventId = (event.detail as { eventId: string }).eventId;
  const result: SendResult = { sent: 0, skipped: 0, uncertain: 0, failed: 0 };
  for (const mail of mails) {
    // The claim is taken at the pacer's turn, so between it and the send there is only the
    // claim's own round trip: a holder that dies leaves an uncertain mail only in that instant.
    const slot = await deps.pacer.acquire();
    let claim: Awaited<ReturnType<MailLedger['claim']>>;
    try {
      claim = await deps.ledger.claim(mail, { detailType: event.detailType, eventId }, deps.now());
    } catch (error) {
      slot.started();
      throw error;
    }
    if (claim !== 'claimed') slot.started();
    if (claim === 'sent') {
      result.skipped++;
      continue;
    }
    if (claim === 'uncertain') {
      result.uncertain++;
      continue;
    }
    if (claim === 'failed') {
      result.failed++;
      continue;
    }
    if (claim === 'busy')
      throw new RetryLater(`mail ${mail.notificationId} is being sent by another instance`);
    let sent: { messageId: string; startedAt: Date };
    try {
      sent = await sendWithBackoff(mail, deps, slot);
    } catch (error) {
      if (error instanceof MailRejected) {
        await deps.ledger.fail(mail, error.reply, deps.now());
        result.failed++;
        continue;
      }
      if (error instanceof MailUncertain) {
        await deps.ledger.markUncertain(mail, error.message, deps.now());
        result.uncertain++;
        continue;
      }
      throw error;
    }
    await deps.ledger.complete(mail, sent.messageId, deps.now(), sent.startedAt);
    result.sent++;
  }
  return result;
};

const sendWithBackoff = async (
  mail: OutgoingMail,
  deps: SendDeps,
  firstSlot: PacerSlot,
): Promise<{ messageId: string; startedAt: Date }> => {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = deps.maxThrottleRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const slot = attempt === 0 ? firstSlot : await deps.pacer.acquire();
    const startedAt = deps.now();
    slot.started();
    try {
      return { messageId: (await deps.mailer.send(mail)).messageId, startedAt };
    } catch (error) {
      if (error instanceof MailRejected || error instanceof MailUncertain) throw error;
      if (!(error instanceof MailThrottled || error instanceof MailTransient) || attempt + 1 >= attempts) {
        // The transport answered no: the mail did not go, and the retry may send it. A connection
        // that kept failing gave no answer: the mail stays `sending`, so it is never sent twice.
        if (!(error instanceof MailTransient)) await deps.ledger.release(mail);
        throw error;
      }
      const delay = Math.min(10_000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
      deps.pacer.backOff(delay);
      await sleep(delay);
    }
  }
};
