/** The union-life mails: who gets one, with a notification id stable per event and recipient. */
import { describe, expect, it } from 'vitest';
import { renderEventMails } from '../../../shared/mail/templates.ts';

const ctx = { unionContactEmail: 'union@x.edu.cn' };
const base = { eventId: 'E1', occurredAt: '2026-12-01T00:00:00.000Z', version: 1 };
const activity = { activityId: 'A1', title: '趣味运动会', date: '2026-12-20', place: '东区田径场' };

describe('union-life mails', () => {
  it('tells a waiting registration its position, and sends nothing without a mailbox', () => {
    const detail = {
      ...base,
      ...activity,
      employeeId: 'T1',
      status: 'waiting',
      position: 3,
      family: 2,
      recipient: { email: 't1@x.edu.cn', name: '黄丽萍' },
    };
    const [mail, ...rest] = renderEventMails('ActivityRegistered', detail, ctx);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ notificationId: 'E1#member', to: 't1@x.edu.cn' });
    expect(mail!.subject).toBe('已列入候补：趣味运动会 | On the waiting list: 趣味运动会');
    expect(mail!.text).toContain('候补名单第 3 位');
    expect(mail!.text).toContain('随行家属: 2');
    expect(renderEventMails('ActivityRegistered', { ...detail, recipient: null }, ctx)).toEqual([]);
  });

  it('shows the mutual-aid fee in yuan from fen', () => {
    const [mail] = renderEventMails(
      'MutualAidReminderDue',
      {
        ...base,
        year: 2027,
        employeeId: 'T1',
        feeFen: 3005,
        closesOn: '2026-12-31',
        date: '2026-12-24',
        recipient: { email: 't1@x.edu.cn' },
      },
      ctx,
    );
    expect(mail!.text).toContain('30.05 元');
    expect(mail!.notificationId).toBe('E1#member');
  });

  it('mails each newly shortlisted nominee once, with its own notification id', () => {
    const mails = renderEventMails(
      'AwardShortlisted',
      {
        ...base,
        awardId: 'W1',
        title: '最美家庭',
        by: 'c',
        votingOpensOn: '2026-12-10',
        votingClosesOn: '2026-12-15',
        shortlisted: [
          { employeeId: 'T1', recipient: { email: 't1@x.edu.cn' } },
          { employeeId: 'T2', recipient: null },
          { employeeId: 'T3', recipient: { email: 't3@x.edu.cn' } },
        ],
      },
      ctx,
    );
    expect(mails.map((m) => [m.notificationId, m.to])).toEqual([
      ['E1#T1', 't1@x.edu.cn'],
      ['E1#T3', 't3@x.edu.cn'],
    ]);
  });

  it('announces results to the awarded and the counts to the office', () => {
    const result = (employeeId: string, votes: number, rank: number, awarded: boolean) => ({
      employeeId,
      name: null,
      votes,
      rank,
      awarded,
      recipient: awarded ? { email: `${employeeId.toLowerCase()}@x.edu.cn` } : null,
    });
    const mails = renderEventMails(
      'AwardResultsPublished',
      {
        ...base,
        awardId: 'W1',
        title: '最美家庭',
        places: 1,
        votingClosesOn: '2026-12-15',
        totalVotes: 7,
        tieAtCutoff: false,
        results: [result('T1', 5, 1, true), result('T2', 2, 2, false)],
      },
      ctx,
    );
    expect(mails.map((m) => [m.notificationId, m.to])).toEqual([
      ['E1#T1', 't1@x.edu.cn'],
      ['E1#office', 'union@x.edu.cn'],
    ]);
    expect(mails[1]!.text).toContain('2. T2（T2）2 票');
  });
});
