/**
 * Sends a rendered mail through an SMTP server (the university's own, e.g. Coremail, or a
 * domestic provider's SMTP endpoint) with nodemailer: a small pool of connections per instance,
 * TLS required unless the deployment says otherwise, the credentials read from Secrets Manager
 * once per instance and never written anywhere.
 *
 * What the server answers is turned into the mailer port's outcomes (send-notifications.ts):
 *   4xx at any step, or a connection lost before the message was handed over  → MailThrottled
 *   5xx to RCPT TO or to the message (no such mailbox, content refused)       → MailRejected
 *   the whole message handed over, then the connection lost or timed out      → MailUncertain
 *   anything else (5xx to AUTH or MAIL FROM, a TLS failure: the deployment's
 *   settings, not the mail, are wrong)                                        → an Error: the
 *   claim is given back, the queue retries, the DLQ and its alarm tell the operator.
 * Error messages carry the reply's codes only: a server's reply often names the address.
 */
import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import Mailer from 'nodemailer/lib/mailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import type { SmtpTlsMode } from '../config/mail-transport.ts';
import {
  type Mailer as MailerPort,
  MailRejected,
  MailThrottled,
  MailUncertain,
} from '../mail/send-notifications.ts';

export type SmtpTls = SmtpTlsMode;

export interface SmtpSettings {
  host: string;
  port: number;
  tls: SmtpTls;
  from: string;
}

/** The secret's JSON: the account and, for a server whose certificate a private CA signed, that CA. */
export interface SmtpCredentials {
  username: string;
  password: string;
  /** PEM of a CA the server's certificate chains to (a campus CA); public CAs need nothing. */
  ca?: string;
}

export const parseSmtpCredentials = (text: string | undefined): SmtpCredentials => {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    // The secret's text itself is never part of the message.
    throw new Error('The SMTP secret is not JSON: {"username": "...", "password": "..."}');
  }
  const v = value as Partial<Record<keyof SmtpCredentials, unknown>>;
  if (
    typeof v?.username !== 'string' ||
    v.username === '' ||
    typeof v.password !== 'string' ||
    v.password === ''
  )
    throw new Error('The SMTP secret needs "username" and "password" (strings)');
  if (v.ca !== undefined && typeof v.ca !== 'string')
    throw new Error('The SMTP secret\'s "ca" must be a PEM string');
  return { username: v.username, password: v.password, ...(v.ca ? { ca: v.ca } : {}) };
};

/** What nodemailer puts on its errors. */
interface SmtpError {
  code?: string;
  /** The socket's own code under nodemailer's ESOCKET: a certificate check says which. */
  originalCode?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

export type SmtpOutcome = 'deferred' | 'rejected' | 'uncertain' | 'misconfigured';

/**
 * How a failed send ends, from nodemailer's error and whether the whole message had been handed
 * over (read by the connection) when it failed. Pure, so that every case has a unit test.
 */
export const classifySmtpError = (error: SmtpError, handedOver: boolean): SmtpOutcome => {
  const code = error.responseCode;
  if (code !== undefined && code >= 400 && code < 500) return 'deferred';
  if (code !== undefined && code >= 500) {
    // The recipient or the message itself: this mail, not the next one.
    return error.command === 'RCPT TO' || error.command === 'DATA' ? 'rejected' : 'misconfigured';
  }
  // An address nodemailer itself refuses to put in an envelope: this mail can never go.
  if (error.code === 'EENVELOPE' && error.command === 'API') return 'rejected';
  if (error.code === 'EAUTH' || error.code === 'ETLS' || error.code === 'EREQUIRETLS') return 'misconfigured';
  // The server's certificate failed the check (unknown CA, wrong name, expired): every mail would.
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL/.test(error.originalCode ?? ''))
    return 'misconfigured';
  // No reply: a reset, a timeout, a closed connection. Before the end of the message the server
  // cannot have taken it (a message ends with its final dot); after it, it most likely did.
  return handedOver ? 'uncertain' : 'deferred';
};

/** The reply's codes (`550 5.1.1`), without its text, which may name the address. */
export const replyCodes = (error: SmtpError): string => {
  const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(error.response ?? '')?.[1];
  return (
    [error.responseCode, enhanced].filter(Boolean).join(' ') ||
    [error.code, error.originalCode].filter(Boolean).join(' ') ||
    'no reply'
  );
};

const addressOf = (mailbox: string): string => (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();

/**
 * The sender as a name and an address. A display name already MIME-encoded for SES
 * (`=?UTF-8?B?…?= <a@b>`) is decoded, so that nodemailer encodes it once, the way SMTP wants it
 * (an encoded word inside quotes is not one).
 */
export const senderOf = (from: string): { name: string; address: string } => {
  const address = addressOf(from);
  let name = /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1]?.trim() ?? '';
  const encoded = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/i.exec(name);
  if (encoded) name = Buffer.from(encoded[1]!, 'base64').toString('utf8');
  return { name, address };
};

/** A Message-ID from the notification id: the same mail always has the same id, so an operator
 * can look an uncertain mail up in the server's log, and the recipient's client can drop a copy. */
export const messageIdOf = (notificationId: string, from: string): string => {
  const domain = addressOf(from).split('@')[1] ?? 'gonghui.invalid';
  return `<${notificationId.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, '.')}@${domain}>`;
};

const transportOptions = (settings: SmtpSettings, credentials: SmtpCredentials, socketTimeoutMs: number) => ({
  pool: true as const,
  host: settings.host,
  port: settings.port,
  // `tls`: TLS from the first byte (465); `starttls`: the server must offer STARTTLS (587), and
  // a server that does not is refused; `none`: plain text, for a relay the operator vouches for.
  secure: settings.tls === 'tls',
  requireTLS: settings.tls === 'starttls',
  ignoreTLS: settings.tls === 'none',
  tls: { minVersion: 'TLSv1.2' as const, ...(credentials.ca ? { ca: credentials.ca } : {}) },
  auth: { user: credentials.username, pass: credentials.password },
  // Three connections per instance (six for the two instances: servers limit connections per
  // client, often to 10 or more): the paced sends of a batch overlap their round trips. A
  // connection is renewed after 100 mails (servers limit mails per session).
  maxConnections: 3,
  maxMessages: 100,
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: socketTimeoutMs,
  logger: false,
  debug: false,
  // Mails are rendered here: nothing in them may make nodemailer read a file or a URL.
  disableFileAccess: true,
  disableUrlAccess: true,
});

export const smtpMailer = (
  settings: SmtpSettings,
  readCredentials: () => Promise<SmtpCredentials>,
  // Longer than a slow server's reply to a message, far shorter than send-email's timeout.
  { socketTimeoutMs = 30_000 }: { socketTimeoutMs?: number } = {},
): MailerPort => {
  let pool: Promise<Mailer> | undefined;
  const transport = () => {
    pool ??= readCredentials().then((credentials) => {
      const options = transportOptions(settings, credentials, socketTimeoutMs);
      return new Mailer(new SMTPPool(options), options);
    });
    // A failed read is tried again on the next mail.
    pool.catch(() => {
      pool = undefined;
    });
    return pool;
  };
  const from = senderOf(settings.from);

  return {
    async send(mail) {
      const mailer = await transport();
      const messageId = messageIdOf(mail.notificationId, from.address);
      const message = await new MailComposer({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
      })
        .compile()
        .build();
      // Read by the connection only after the server's 354: once it has read the end, the
      // server may have the whole message, and a lost reply leaves the mail uncertain.
      let handedOver = false;
      const raw = Readable.from([message]);
      raw.on('end', () => {
        handedOver = true;
      });
      try {
        await mailer.sendMail({ envelope: { from: from.address, to: [mail.to] }, raw });
        return { messageId };
      } catch (error) {
        const e = error as SmtpError;
        const codes = replyCodes(e);
        const where = e.command ? ` at ${e.command}` : '';
        switch (classifySmtpError(e, handedOver)) {
          case 'deferred':
            throw new MailThrottled(`SMTP server deferred the mail (${codes}${where})`);
          case 'rejected':
            throw new MailRejected(`SMTP server refused the mail (${codes}${where})`, e.response ?? codes);
          case 'uncertain':
            throw new MailUncertain(`no reply after the whole message was sent (${codes})`);
          default:
            // Credentials may have been rotated: read them again for the next mail.
            if (e.code === 'EAUTH') {
              pool = undefined;
              mailer.close();
            }
            throw new Error(
              `SMTP send failed: the server or the settings refuse every mail (${codes}${where})`,
            );
        }
      }
    },
  };
};
