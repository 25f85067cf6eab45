/** Sends a rendered mail through SES (SendEmail: HTML and text, UTF-8). */
import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { type Mailer, MailThrottled, MailTransient } from '../mail/send-notifications.ts';

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'MaxSendRateExceeded',
  'TooManyRequestsException',
]);

const isThrottling = (error: unknown): boolean => {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return (
    THROTTLING.has(e.name ?? '') ||
    /maximum sending rate exceeded/i.test(e.message ?? '') ||
    e.$metadata?.httpStatusCode === 429
  );
};

/** The SDK names a reset, hang-up or timed-out connection TimeoutError (smithy's node handler). */
const isConnectionFailure = (error: unknown): boolean => {
  const e = error as { name?: string; code?: string };
  return (
    e.name === 'TimeoutError' || ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED'].includes(e.code ?? '')
  );
};

/**
 * SES wants a non-ASCII display name as a MIME encoded-word: `"工会" <a@b>` becomes
 * `=?UTF-8?B?5bel5Lya?= <a@b>`. An ASCII sender passes unchanged.
 */
export const encodeSender = (from: string): string => {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  if (!m || /^[\x20-\x7e]*$/.test(m[1]!)) return from;
  return `=?UTF-8?B?${Buffer.from(m[1]!, 'utf8').toString('base64')}?= <${m[2]}>`;
};

export const sesMailer = (ses: SESClient, from: string): Mailer => ({
  async send(mail) {
    try {
      const out = await ses.send(
        new SendEmailCommand({
          Source: encodeSender(from),
          Destination: { ToAddresses: [mail.to] },
          Message: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: mail.html, Charset: 'UTF-8' },
              Text: { Data: mail.text, Charset: 'UTF-8' },
            },
          },
        }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (error) {
      if (isThrottling(error)) throw new MailThrottled((error as Error).message);
      if (isConnectionFailure(error)) throw new MailTransient((error as Error).message);
      throw error;
    }
  },
});
