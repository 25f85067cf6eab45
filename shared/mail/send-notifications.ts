/**
 * The send-email use case: for one domain event, render its mails and send each exactly once.
 *
 * Never twice: each mail is claimed in the mail ledger (a conditional write on its notification
 * id, status `sending`) at its pacer turn, right before its SES call, and recorded `sent` after.
 * A redelivered event finds the mail sent and skips it. A mail left `sending` by a holder that
 * died is not sent again once its lease has run out: SES has no idempotency key, so nobody can
 * tell whether SES took it; it stays in the ledger as uncertain, for an operator (`gonghui mail
 * uncertain`), instead of risking a second copy. (Seen before: 12 duplicates when the runtime
 * was killed in a 2,000-mail run, with claims that expired and were sent again.) A definite
 * refusal from SES gives the claim back, and the queue's retry sends the mail.
 */
import { RetryLater } from '../domain/errors.ts';
import type { Pacer, PacerSlot } from './pacer.ts';
import type { MailContext, OutgoingMail } from './templates.ts';
import { renderEventMails } from './templates.ts';

export interface MailLedger {
  /**
   * 'claimed' if this caller may send now; 'sent' if it was sent before; 'busy' if another holds
   * it; 'uncertain' if a holder died during its SES call (never sent again automatically).
   */
  claim(
    mail: OutgoingMail,
    meta: { detailType: string; eventId: string },
    now: Date,
  ): Promise<'claimed' | 'sent' | 'busy' | 'uncertain'>;
  /** `startedAt`: when the SES request began (what the pacer controls and SES counts). */
  complete(mail: OutgoingMail, messageId: string, sentAt: Date, startedAt: Date): Promise<void>;
  /** Gives the claim up after a failed send so a retry need not wait for the lease. */
  release(mail: OutgoingMail): Promise<void>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export class MailThrottled extends Error {
  override name = 'MailThrottled';
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
  /** Mails a dead holder left in its SES call: not sent again (see above). */
  uncertain: number;
}

export const sendNotifications = async (
  event: { detailType: string; detail: unknown },
  deps: SendDeps,
): Promise<SendResult> => {
  const mails = renderEventMails(event.detailType, event.detail, deps.context);
  const eventId = (event.detail as { eventId: string }).eventId;
  const result: SendResult = { sent: 0, skipped: 0, uncertain: 0 };
  for (const mail of mails) {
    // The claim is taken at the pacer's turn, so between it and the SES call there is only the
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
    if (claim === 'busy')
      throw new RetryLater(`mail ${mail.notificationId} is being sent by another instance`);
    const { messageId, startedAt } = await sendWithBackoff(mail, deps, slot);
    await deps.ledger.complete(mail, messageId, deps.now(), startedAt);
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
      if (!(error instanceof MailThrottled || error instanceof MailTransient) || attempt + 1 >= attempts) {
        // SES answered no: the mail did not go, and the retry may send it. A connection that kept
        // failing gave no answer: the mail stays `sending`, so it is never sent twice.
        if (!(error instanceof MailTransient)) await deps.ledger.release(mail);
        throw error;
      }
      const delay = Math.min(10_000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
      deps.pacer.backOff(delay);
      await sleep(delay);
    }
  }
};
