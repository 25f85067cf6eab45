/**
 * The SMTP mailer against a real SMTP server on 127.0.0.1 (the embedded runtime's, smtp.ts:
 * STARTTLS and AUTH required), its faults injected at the server's own steps: each answer a
 * server can give ends as the mailer port says (sent, "not now", refused for good, uncertain, or
 * a settings error), and no error message carries the address or the password.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMail } from '../../../infra/cli/commands/mail.ts';
import { type SmtpLocal, startSmtpLocal } from '../../../infra/local/smtp.ts';
import {
  classifySmtpError,
  messageIdOf,
  parseSmtpCredentials,
  replyCodes,
  type SmtpCredentials,
  senderOf,
  smtpMailer,
} from '../../../shared/adapters/smtp-mailer.ts';
import { MailRejected, MailThrottled, MailUncertain } from '../../../shared/mail/send-notifications.ts';

let server: SmtpLocal;
let dataDir: string;
const FROM = `=?UTF-8?B?${Buffer.from('工会 Gonghui').toString('base64')}?= <union@gonghui.local>`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-smtp-'));
  server = await startSmtpLocal({ dataDir });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
const mail = () => {
  n++;
  return {
    notificationId: `01JTEST${n}#welcome`,
    to: `t${n}@example.edu.cn`,
    subject: `欢迎 ${n} | Welcome`,
    text: '您好 hello',
    html: '<p>您好 hello</p>',
  };
};
const mailerWith = (credentials: Partial<SmtpCredentials> = {}, socketTimeoutMs?: number) =>
  smtpMailer(
    { host: server.host, port: server.port, tls: 'starttls', from: FROM },
    async () => ({ ...server.account, ca: server.ca, ...credentials }),
    socketTimeoutMs ? { socketTimeoutMs } : {},
  );
const received = async (to: string) =>
  (await listMail({ mail: { transport: 'smtp', storeUrl: server.httpUrl } })).filter((m) =>
    m.to.includes(to),
  );
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the send to fail');
};

describe('the SMTP mailer against a real server', () => {
  it('sends over STARTTLS with AUTH; the Message-ID comes from the notification id', async () => {
    const m = mail();
    const { messageId } = await mailerWith().send(m);
    expect(messageId).toBe(`<${m.notificationId}@gonghui.local>`);
    const [got] = await received(m.to);
    expect(got).toMatchObject({ subject: m.subject, from: '"工会 Gonghui" <union@gonghui.local>' });
    expect(got?.text?.trim()).toBe('您好 hello');
  });

  it('a 4xx at RCPT or DATA is "not now" (retried by the caller)', async () => {
    server.faults.inject({ kind: 'throttle', operation: 'RCPT', count: 1 });
    const m = mail();
    const e = await failure(mailerWith().send(m));
    expect(e).toBeInstanceOf(MailThrottled);
    expect(e.message).toContain('451');
    server.faults.inject({ kind: 'throttle', operation: 'DATA', count: 1 });
    expect(await failure(mailerWith().send(mail()))).toBeInstanceOf(MailThrottled);
    // Nothing was kept by the server.
    expect(await received(m.to)).toEqual([]);
  });

  it('a 5xx to the recipient or the message is refused for good, with the reply kept apart from the message', async () => {
    server.faults.inject({ kind: 'reject', operation: 'RCPT', count: 1 });
    const m = mail();
    const e = await failure(mailerWith().send(m));
    expect(e).toBeInstanceOf(MailRejected);
    expect((e as MailRejected).reply).toMatch(/^550 5\.1\.1/);
    expect(e.message).toBe('SMTP server refused the mail (550 5.1.1 at RCPT TO)');
    server.faults.inject({ kind: 'reject', operation: 'DATA', count: 1 });
    const d = await failure(mailerWith().send(mail()));
    expect(d).toBeInstanceOf(MailRejected);
    expect((d as MailRejected).reply).toMatch(/^554 5\.6\.0/);
  });

  it('no reply after the whole message was sent: uncertain, and the server did keep it', async () => {
    server.faults.inject({ kind: 'delay', operation: 'DATA', delayMs: 2_000, count: 1 });
    const m = mail();
    expect(await failure(mailerWith({}, 500).send(m))).toBeInstanceOf(MailUncertain);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await received(m.to)).toHaveLength(1);
  });

  it('wrong credentials or an untrusted certificate fail every mail as a settings error, saying no secret', async () => {
    const auth = await failure(mailerWith({ password: 'not-the-password' }).send(mail()));
    expect(auth).not.toBeInstanceOf(MailRejected);
    expect(auth).not.toBeInstanceOf(MailThrottled);
    expect(auth.message).toContain('535');
    expect(auth.message).not.toContain('not-the-password');
    const { ca: _ca, ...noCa } = { ...server.account, ca: undefined };
    const tls = await failure(
      smtpMailer(
        { host: server.host, port: server.port, tls: 'starttls', from: FROM },
        async () => noCa,
      ).send(mail()),
    );
    expect(tls.message).toMatch(/SELF_SIGNED|CERT/);
    expect(tls).not.toBeInstanceOf(MailThrottled);
  });

  it('reads the credentials once and keeps the connection pool across mails', async () => {
    let reads = 0;
    const mailer = smtpMailer(
      { host: server.host, port: server.port, tls: 'starttls', from: FROM },
      async () => {
        reads++;
        return { ...server.account, ca: server.ca };
      },
    );
    const mails = [mail(), mail(), mail()];
    for (const m of mails) await mailer.send(m);
    expect(reads).toBe(1);
    for (const m of mails) expect(await received(m.to)).toHaveLength(1);
  });
});

describe('what an SMTP failure means', () => {
  it.each([
    [{ responseCode: 421, command: 'CONN' }, false, 'deferred'],
    [{ responseCode: 451, command: 'RCPT TO' }, false, 'deferred'],
    [{ responseCode: 452, command: 'DATA' }, true, 'deferred'],
    [{ responseCode: 550, command: 'RCPT TO' }, false, 'rejected'],
    [{ responseCode: 554, command: 'DATA' }, true, 'rejected'],
    [{ responseCode: 535, command: 'AUTH PLAIN' }, false, 'misconfigured'],
    [{ responseCode: 553, command: 'MAIL FROM' }, false, 'misconfigured'],
    [{ code: 'EAUTH', command: 'API' }, false, 'misconfigured'],
    [
      { code: 'ESOCKET', originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID', command: 'CONN' },
      false,
      'misconfigured',
    ],
    [{ code: 'EENVELOPE', command: 'API' }, false, 'rejected'],
    [{ code: 'ECONNECTION', command: 'CONN' }, false, 'deferred'],
    [{ code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' }, false, 'deferred'],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, false, 'deferred'],
    [{ code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' }, true, 'uncertain'],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, true, 'uncertain'],
  ] as const)('%j (message handed over: %s) → %s', (error, handedOver, outcome) => {
    expect(classifySmtpError(error, handedOver)).toBe(outcome);
  });

  it('keeps the codes of a reply and drops its text (it may name the address)', () => {
    expect(
      replyCodes({
        responseCode: 550,
        response: '550 5.1.1 <bob@example.edu.cn>: Recipient address rejected',
      }),
    ).toBe('550 5.1.1');
    expect(replyCodes({ code: 'ETIMEDOUT' })).toBe('ETIMEDOUT');
  });

  it('decodes a sender encoded for SES, and makes a Message-ID nothing in it breaks', () => {
    expect(senderOf(FROM)).toEqual({ name: '工会 Gonghui', address: 'union@gonghui.local' });
    expect(senderOf('Gonghui <noreply@union.example.edu.cn>')).toEqual({
      name: 'Gonghui',
      address: 'noreply@union.example.edu.cn',
    });
    expect(senderOf('noreply@x.cn')).toEqual({ name: '', address: 'noreply@x.cn' });
    expect(messageIdOf('01J:a b#welcome', 'noreply@x.cn')).toBe('<01J.a.b#welcome@x.cn>');
  });

  it('reads the secret: username and password, and a CA if the server needs one', () => {
    expect(parseSmtpCredentials('{"username":"u","password":"p"}')).toEqual({ username: 'u', password: 'p' });
    expect(() => parseSmtpCredentials('{"username":"u"}')).toThrow('"username" and "password"');
    const notJson = (() => {
      try {
        parseSmtpCredentials('password=hunter2');
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(notJson).not.toContain('hunter2');
  });
});
