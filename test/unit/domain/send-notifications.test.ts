/** The send-email use case with an in-memory ledger and mailer (pure logic; e2e covers SES and DynamoDB). */
import { describe, expect, it } from 'vitest';
import {
  type Mailer,
  type MailLedger,
  MailRejected,
  MailThrottled,
  MailTransient,
  MailUncertain,
  sendNotifications,
} from '../../../shared/mail/send-notifications.ts';

const enrolled = {
  eventId: '01J0000000000000000000001',
  occurredAt: '2026-08-25T02:00:00.000Z',
  version: 1,
  memberId: 'm1',
  employeeId: 'T1',
  membershipNumber: 'GLU-2026-000117',
  status: 'active',
  name: '黄丽萍',
  email: 'huang@example.edu.cn',
  branch: { code: 'B-CS', name: '计算机学院分工会' },
  branchAssignedByDefault: false,
  womenFederation: true,
  joinedOn: '2026-09-01',
  origin: 'hr',
};

const harness = (failures: Error[]) => {
  const state = new Map<string, 'sending' | 'sent' | 'dead' | 'failed' | 'uncertain'>();
  const log: string[] = [];
  const ledger: MailLedger = {
    claim: async (mail) => {
      const s = state.get(mail.notificationId);
      if (s === 'sent') return 'sent';
      // 'dead': a holder that died in its SES call, its lease run out.
      if (s === 'dead' || s === 'uncertain') return 'uncertain';
      if (s === 'failed') return 'failed';
      if (s === 'sending') return 'busy';
      state.set(mail.notificationId, 'sending');
      return 'claimed';
    },
    complete: async (mail) => {
      state.set(mail.notificationId, 'sent');
    },
    release: async (mail) => {
      state.delete(mail.notificationId);
      log.push('release');
    },
    fail: async (mail, reply) => {
      state.set(mail.notificationId, 'failed');
      log.push(`failed ${reply}`);
    },
    markUncertain: async (mail) => {
      state.set(mail.notificationId, 'uncertain');
      log.push('uncertain');
    },
  };
  const mailer: Mailer = {
    send: async (mail) => {
      const failure = failures.shift();
      if (failure) {
        log.push(`fail ${failure.name}`);
        throw failure;
      }
      log.push(`sent ${mail.to}`);
      return { messageId: 'x' };
    },
  };
  const deps = {
    ledger,
    mailer,
    pacer: { acquire: async () => ({ started: () => {} }), backOff: () => {} },
    context: { unionContactEmail: 'union@x.edu.cn' },
    now: () => new Date('2026-08-25T02:00:00Z'),
    sleep: async () => {},
  };
  return { deps, log, state };
};

const event = { detailType: 'MemberEnrolled', detail: enrolled };

describe('sending a mail', () => {
  it('retries a throttle and a dropped connection, then sends once', async () => {
    const { deps, log } = harness([new MailThrottled('slow down'), new MailTransient('socket hang up')]);
    expect(await sendNotifications(event, deps)).toEqual({ sent: 1, skipped: 0, uncertain: 0, failed: 0 });
    expect(log).toEqual(['fail MailThrottled', 'fail MailTransient', 'sent huang@example.edu.cn']);
    // Redelivered: the ledger says sent, nothing goes out.
    expect(await sendNotifications(event, deps)).toEqual({ sent: 0, skipped: 1, uncertain: 0, failed: 0 });
  });

  it('gives the claim back and fails on anything else, so the queue retries the message', async () => {
    const { deps, log } = harness([new Error('MessageRejected')]);
    await expect(sendNotifications(event, deps)).rejects.toThrow('MessageRejected');
    expect(log).toEqual(['fail Error', 'release']);
    expect(await sendNotifications(event, deps)).toEqual({ sent: 1, skipped: 0, uncertain: 0, failed: 0 });
  });

  it('gives up after the attempts allowed; a connection that never answered keeps the mail `sending`', async () => {
    const { deps, log, state } = harness(Array.from({ length: 5 }, () => new MailTransient('reset')));
    await expect(sendNotifications(event, { ...deps, maxThrottleRetries: 5 })).rejects.toThrow('reset');
    expect(log.filter((l) => l.startsWith('fail'))).toHaveLength(5);
    expect(log).not.toContain('release');
    expect([...state.values()]).toEqual(['sending']);
  });

  it('never sends again a mail whose holder died in its SES call: it is counted uncertain', async () => {
    const { deps, log, state } = harness([]);
    state.set('01J0000000000000000000001#welcome', 'dead');
    expect(await sendNotifications(event, deps)).toEqual({ sent: 0, skipped: 0, uncertain: 1, failed: 0 });
    expect(log).toEqual([]);
  });

  it('records a mail the transport refused for good as failed, with the reply, and never retries it', async () => {
    const reply = '550 5.1.1 <huang@example.edu.cn>: Recipient address rejected';
    const { deps, log, state } = harness([
      new MailRejected('SMTP server refused the mail (550 5.1.1 at RCPT TO)', reply),
    ]);
    expect(await sendNotifications(event, deps)).toEqual({ sent: 0, skipped: 0, uncertain: 0, failed: 1 });
    expect(log).toEqual(['fail MailRejected', `failed ${reply}`]);
    expect([...state.values()]).toEqual(['failed']);
    // Redelivered: still failed, nothing goes out.
    expect(await sendNotifications(event, deps)).toEqual({ sent: 0, skipped: 0, uncertain: 0, failed: 1 });
    expect(log.filter((l) => l.startsWith('sent'))).toEqual([]);
  });

  it('keeps a mail whose answer was lost after the whole message went as uncertain, not retried', async () => {
    const { deps, log, state } = harness([new MailUncertain('no reply after the whole message was sent')]);
    expect(await sendNotifications(event, deps)).toEqual({ sent: 0, skipped: 0, uncertain: 1, failed: 0 });
    expect(log).toEqual(['fail MailUncertain', 'uncertain']);
    expect([...state.values()]).toEqual(['uncertain']);
    expect(await sendNotifications(event, deps)).toEqual({ sent: 0, skipped: 0, uncertain: 1, failed: 0 });
  });
});
