/**
 * The local SMTP server for the smtp mail transport (`GONGHUI_MAIL_TRANSPORT=smtp npm start`): a
 * real SMTP server (npm `smtp-server`) on 127.0.0.1 that the functions reach exactly as they reach
 * a university's mail server on AWS: STARTTLS required (a certificate of its own, made at the
 * first start; its PEM goes into the local secret as the "campus CA"), AUTH required (an account
 * made at the first start, read by send-email from the local Secrets Manager), and a paced sender.
 *
 * It keeps what it receives (parsed with `mailparser`) in `<dataDir>/smtp/emails.jsonl` and serves
 * it over HTTP the way the SES emulator does, so that one reader serves both transports
 * (`gonghui mail list`, the e2e tests): `/store` (JSON, `?since=` epoch seconds), `/` (the SES
 * emulator's own inbox page, which reads `/store`), `/get-emlContent?messageId=` (the raw message).
 *
 * Faults (tests; startRuntime({ faults: true }), POST /faults/smtp): the rules of fault-proxy.ts
 * applied to the server's own steps, operation `RCPT` or `DATA` (function: send-email, the one
 * client; `recipient` narrows a rule to one address): `throttle` answers 451 (try later),
 * `reject` 550 at RCPT or 554 at DATA (for good),
 * `delay` holds the reply, and `crash-after` (DATA) keeps the mail, then ends the sending
 * function's instances and the connection before the 250 reply: accepted, and nobody heard so.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { createFaultRules, type FaultRules } from './fault-proxy.ts';
import { readSavedEmails, type StoredEmail } from './ses.ts';

const require = createRequire(import.meta.url);

/** Only send-email speaks SMTP; fault rules name it (or no function). */
const SENDER_FUNCTION = 'send-email';
/** The server's limit; a rendered mail is a few KiB. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface SmtpAccount {
  username: string;
  password: string;
}

/** A received mail, in the SES emulator's shape, with what SMTP adds. */
export interface ReceivedEmail extends StoredEmail {
  /** The message's own Message-ID header (send-email makes it from the notification id). */
  headerMessageId: string;
  /** When the server had the whole message, ms since the epoch (`at` is in seconds, as SES's). */
  receivedAtMs: number;
  envelope: { from: string; to: string[] };
  eml: string;
}

export interface SmtpLocal {
  host: string;
  port: number;
  /** `/store` and the inbox page. */
  httpUrl: string;
  inboxUrl: string;
  account: SmtpAccount;
  /** PEM of the server's self-signed certificate (a client trusts it as its CA). */
  ca: string;
  faults: FaultRules;
  stop(): Promise<void>;
}

interface Tls {
  key: string;
  cert: string;
}

/** Reads a JSON file of this server's, or makes and keeps it: data survives a restart. */
const kept = async <T>(file: string, make: () => Promise<T>): Promise<T> => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    const value = await make();
    writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
    return value;
  }
};

const makeTls = async (): Promise<Tls> => {
  const pems = await generate([{ name: 'commonName', value: 'gonghui local smtp' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 86_400_000),
    extensions: [
      // Its own CA: the client is given this certificate as the one it trusts.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
};

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** An SMTP reply as smtp-server sends it: the error's responseCode and its message. */
const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSmtpLocal(opts: {
  dataDir: string;
  /** Ends the running instances of a function (the lambda host's crash), for crash-after. */
  crash?: (functionName: string) => void;
}): Promise<SmtpLocal> {
  const dir = join(opts.dataDir, 'smtp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'emails.jsonl');
  const tls = await kept(join(dir, 'tls.json'), makeTls);
  const account = await kept(join(dir, 'account.json'), async () => ({
    username: 'gonghui-local',
    password: randomBytes(18).toString('base64url'),
  }));
  const emails = readSavedEmails(file) as ReceivedEmail[];
  let sequence = emails.length;
  let persisting = true;
  const faults = createFaultRules();

  const smtp = new SMTPServer({
    name: 'smtp.gonghui.local',
    banner: 'Gonghui local SMTP',
    key: tls.key,
    cert: tls.cert,
    // STARTTLS is offered and AUTH refused before it (as a university server would).
    secure: false,
    allowInsecureAuth: false,
    authMethods: ['PLAIN', 'LOGIN'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onAuth(auth, _session, callback) {
      if (
        sameSecret(auth.username ?? '', account.username) &&
        sameSecret(auth.password ?? '', account.password)
      )
        return callback(null, { user: auth.username });
      return callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, _session, callback) {
      const rule = faults.take(SENDER_FUNCTION, 'RCPT', [address.address]);
      if (rule?.kind === 'throttle') return callback(smtpError(451, '4.7.1 Try again later (injected)'));
      if (rule?.kind === 'reject') return callback(smtpError(550, '5.1.1 Mailbox unavailable (injected)'));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void receive(
          Buffer.concat(chunks),
          session,
          (stream as { sizeExceeded?: boolean }).sizeExceeded === true,
        )
          .then((reply) => {
            if (reply === 'crashed') return;
            callback(reply);
          })
          .catch((error: unknown) => callback(smtpError(451, `4.3.0 ${(error as Error).message}`)));
      });
    },
  });

  /** What the server answers to a whole message: null (250), an error, or nothing (crashed). */
  const receive = async (
    raw: Buffer,
    session: SMTPServerSession,
    tooLarge: boolean,
  ): Promise<Error | null | 'crashed'> => {
    if (tooLarge) return smtpError(552, '5.3.4 Message too big');
    const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
    const rule = faults.take(SENDER_FUNCTION, 'DATA', envelopeTo);
    if (rule?.kind === 'throttle') return smtpError(451, '4.3.2 Try again later (injected)');
    if (rule?.kind === 'reject') return smtpError(554, '5.6.0 Message refused (injected)');
    if (rule?.kind === 'delay') await sleep(rule.delayMs ?? 40_000);
    const parsed = await simpleParser(raw);
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const now = Date.now();
    const email: ReceivedEmail = {
      messageId: `smtp-${String(++sequence).padStart(6, '0')}-${now.toString(36)}`,
      headerMessageId: parsed.messageId ?? '',
      from: parsed.from?.text ?? from,
      destination: { to: envelopeTo, cc: [], bcc: [] },
      subject: parsed.subject ?? '',
      body: {
        ...(parsed.text !== undefined ? { text: parsed.text } : {}),
        ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
      },
      attachments: [],
      at: Math.floor(now / 1000),
      receivedAtMs: now,
      envelope: { from, to: envelopeTo },
      eml: raw.toString('utf8'),
    };
    emails.push(email);
    // Synchronous append: the 250 goes out only after the mail is on disk.
    if (persisting) appendFileSync(file, `${JSON.stringify(email)}\n`);
    if (rule?.kind === 'crash-after') {
      // Accepted and kept; the sender dies before it can read the 250, and the connection with it.
      opts.crash?.(SENDER_FUNCTION);
      for (const connection of connectionsOf())
        if (connection.id === session.id) connection._socket?.destroy();
      return 'crashed';
    }
    return null;
  };

  const connectionsOf = () => [...(smtp as unknown as { connections: Set<ConnectionInternals> }).connections];

  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  // A client that drops its connection mid-command is the client's business, not a crash here.
  smtp.on('error', () => {});
  const { port } = smtp.server.address() as AddressInfo;

  const inboxPage = readFileSync(require.resolve('aws-ses-v2-local/static/index.html'));
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const http: HttpServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/')
      return send(res, 200, 'text/html; charset=utf-8', inboxPage);
    if (req.method === 'GET' && url.pathname === '/store') {
      const since = url.searchParams.get('since');
      const from = since === null ? Number.NEGATIVE_INFINITY : Number(since);
      if (!Number.isInteger(from) && since !== null)
        return send(res, 400, 'application/json', JSON.stringify({ message: 'since: epoch seconds' }));
      const list = emails.filter((e) => e.at >= from);
      return send(res, 200, 'application/json', JSON.stringify({ templates: {}, emails: list }));
    }
    if (req.method === 'GET' && url.pathname === '/get-emlContent') {
      const email = emails.find((e) => e.messageId === url.searchParams.get('messageId'));
      if (!email) return send(res, 400, 'application/json', JSON.stringify({ message: 'no such mail' }));
      return send(res, 200, 'message/rfc822', email.eml);
    }
    if (req.method === 'POST' && url.pathname === '/clear-store') {
      emails.length = 0;
      writeFileSync(file, '');
      return send(res, 200, 'application/json', JSON.stringify({ message: 'Store cleared' }));
    }
    return send(res, 404, 'application/json', JSON.stringify({ message: 'GET /, GET /store' }));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    host: '127.0.0.1',
    port,
    httpUrl,
    inboxUrl: `${httpUrl}/`,
    account,
    ca: tls.cert,
    faults,
    stop: async () => {
      persisting = false;
      const closed = new Promise<void>((resolve) => smtp.close(() => resolve()));
      // smtp-server waits up to 30 s for clients to leave; a pooled client never does by itself.
      for (const connection of connectionsOf()) connection._socket?.destroy();
      await Promise.all([
        closed,
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        }),
      ]);
    },
  };
}

/** The parts of smtp-server's connection object the crash fault needs. */
interface ConnectionInternals {
  id: string;
  _socket?: { destroy(): void };
}
