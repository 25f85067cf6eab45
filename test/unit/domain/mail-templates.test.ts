import { describe, expect, it } from 'vitest';
import { renderEventMails } from '../../../shared/mail/templates.ts';

const enrolled = {
  eventId: '01J0000000000000000000000',
  occurredAt: '2026-08-25T02:00:00.000Z',
  version: 1,
  memberId: 'm1',
  employeeId: 'T1',
  membershipNumber: 'GLU-2026-000117',
  status: 'active',
  name: '黄丽萍<script>',
  email: 'huang@example.edu.cn',
  branch: { code: 'B-CS', name: '计算机学院分工会' },
  branchAssignedByDefault: false,
  womenFederation: true,
  joinedOn: '2026-09-01',
  origin: 'hr',
};

describe('welcome mail', () => {
  it('is in Chinese first and English alongside, names the branch and how to leave, escapes HTML', () => {
    const [mail, ...rest] = renderEventMails('MemberEnrolled', enrolled, {
      unionContactEmail: 'union@x.edu.cn',
    });
    expect(rest).toHaveLength(0);
    expect(mail!.notificationId).toBe(`${enrolled.eventId}#welcome`);
    expect(mail!.to).toBe('huang@example.edu.cn');
    expect(mail!.subject).toBe('欢迎加入工会 | Welcome to the trade union');
    expect(mail!.text.indexOf('计算机学院分工会')).toBeLessThan(mail!.text.indexOf('Welcome'));
    expect(mail!.text).toContain('退会');
    expect(mail!.text).toContain('union@x.edu.cn');
    expect(mail!.text).toContain('妇女联合会');
    expect(mail!.html).toContain('&lt;script&gt;');
    expect(mail!.html).not.toContain('<script>');
  });

  it('rejects a detail that does not match the event schema', () => {
    expect(() =>
      renderEventMails('MemberEnrolled', { ...enrolled, email: undefined }, { unionContactEmail: 'u@x' }),
    ).toThrow();
  });
});

describe('mail registry', () => {
  it('has a template for exactly the events the bus routes to send-email', async () => {
    const { MAIL_EVENT_TYPES } = await import('../../../shared/mail/mail-events.ts');
    const { templates } = await import('../../../shared/mail/templates.ts');
    expect(Object.keys(templates).sort()).toEqual([...MAIL_EVENT_TYPES].sort());
  });
});

describe('sender', () => {
  it('MIME-encodes a Chinese display name for SES and leaves ASCII alone', async () => {
    const { encodeSender } = await import('../../../shared/adapters/ses-mailer.ts');
    expect(encodeSender('"工会 Gonghui" <union@x.cn>')).toBe(
      `=?UTF-8?B?${Buffer.from('工会 Gonghui').toString('base64')}?= <union@x.cn>`,
    );
    expect(encodeSender('Gonghui <union@x.cn>')).toBe('Gonghui <union@x.cn>');
    expect(encodeSender('union@x.cn')).toBe('union@x.cn');
  });
});
