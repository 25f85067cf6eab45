/** The mailbox's pure rules: who sees and answers a letter, the yearly statistics, the reminder's cutoff. */
import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../../shared/domain/principal.ts';
import {
  canAnswer,
  canSeeLetter,
  daysToFirstAnswer,
  daysWaiting,
  type Letter,
  letterReader,
  letterStatistics,
  type MailboxSettings,
  median,
  NO_MAILBOX_SETTINGS,
  reminderCutoff,
} from '../../../shared/domain/voice/letters.ts';

const who = (sub: string, ...roles: Role[]): Principal => ({ sub, roles: new Set(roles) });

const letter = (over: Partial<Letter> = {}): Letter => ({
  id: 'L1',
  writer: 'W1',
  subject: 's',
  text: 't',
  category: '其他',
  chairOnly: false,
  state: 'open',
  delegatedTo: null,
  delegatedAt: null,
  answerCount: 0,
  year: 2026,
  createdAt: '2026-03-01T02:00:00.000Z',
  firstAnsweredAt: null,
  lastAnsweredAt: null,
  closedAt: null,
  closedBy: null,
  closingNote: null,
  updatedAt: '2026-03-01T02:00:00.000Z',
  version: 1,
  ...over,
});

const settings: MailboxSettings = { ...NO_MAILBOX_SETTINGS, chair: 'C1', delegates: ['D1', 'D2'] };

describe('who sees and answers a letter', () => {
  it('shows it to the writer, the chair and the delegates; a chair-only one to the writer and the chair', () => {
    const open = letter();
    const secret = letter({ chairOnly: true });
    expect(canSeeLetter(who('W1', 'member'), open, settings)).toBe(true);
    expect(canSeeLetter(who('C9', 'chair'), open, settings)).toBe(true);
    expect(canSeeLetter(who('D1', 'member'), open, settings)).toBe(true);
    expect(canSeeLetter(who('X1', 'member', 'admin'), open, settings)).toBe(false);
    expect(canSeeLetter(who('W1', 'member'), secret, settings)).toBe(true);
    expect(canSeeLetter(who('C9', 'chair'), secret, settings)).toBe(true);
    expect(canSeeLetter(who('D1', 'member'), secret, settings)).toBe(false);
  });

  it('lets the chair answer, and the delegate only what was handed to them', () => {
    const handed = letter({ delegatedTo: 'D1' });
    expect(canAnswer(who('C9', 'chair'), handed)).toBe(true);
    expect(canAnswer(who('D1'), handed)).toBe(true);
    expect(canAnswer(who('D2'), handed)).toBe(false);
    expect(canAnswer(who('W1'), handed)).toBe(false);
    expect(canAnswer(who('D1'), letter())).toBe(false);
  });

  it('names the reader a caller is: the chair by role, a delegate by 工号 in the settings, else a writer', () => {
    expect(letterReader(who('C9', 'chair'), settings)).toBe('chair');
    expect(letterReader(who('D2', 'member'), settings)).toBe('delegate');
    expect(letterReader(who('X1', 'member', 'admin', 'officer'), settings)).toBe('writer');
    expect(letterReader(who('D1'), NO_MAILBOX_SETTINGS)).toBe('writer');
  });
});

describe('the yearly statistics', () => {
  it('takes the median of odd and even counts, none of nothing', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('counts days to the first answer to a tenth of a day', () => {
    expect(daysToFirstAnswer(letter())).toBeNull();
    expect(
      daysToFirstAnswer(
        letter({ createdAt: '2026-03-01T00:00:00Z', firstAnsweredAt: '2026-03-03T12:00:00Z' }),
      ),
    ).toBe(2.5);
  });

  it('reports count, answered, median and max per category, every category listed, and a total', () => {
    const at = (days: number) =>
      new Date(Date.parse('2026-03-01T02:00:00Z') + days * 86_400_000).toISOString();
    const report = letterStatistics(2026, [
      letter({ category: '后勤保障', firstAnsweredAt: at(1) }),
      letter({ category: '后勤保障', firstAnsweredAt: at(3) }),
      letter({ category: '后勤保障', firstAnsweredAt: at(10) }),
      letter({ category: '后勤保障' }),
      letter({ category: '薪酬福利', firstAnsweredAt: at(2) }),
      letter({ category: '薪酬福利', firstAnsweredAt: at(4), state: 'closed' }),
      letter({ category: '其他' }),
    ]);
    const by = Object.fromEntries(report.categories.map((c) => [c.category, c]));
    expect(by.后勤保障).toEqual({
      category: '后勤保障',
      count: 4,
      answered: 3,
      medianDaysToFirstAnswer: 3,
      maxDaysToFirstAnswer: 10,
    });
    expect(by.薪酬福利).toMatchObject({
      count: 2,
      answered: 2,
      medianDaysToFirstAnswer: 3,
      maxDaysToFirstAnswer: 4,
    });
    expect(by.其他).toMatchObject({
      count: 1,
      answered: 0,
      medianDaysToFirstAnswer: null,
      maxDaysToFirstAnswer: null,
    });
    expect(by.教学科研).toMatchObject({ count: 0, answered: 0 });
    expect(report.categories).toHaveLength(5);
    expect(report.total).toEqual({
      count: 7,
      answered: 5,
      medianDaysToFirstAnswer: 3,
      maxDaysToFirstAnswer: 10,
    });
  });
});

describe('the reminder', () => {
  it('reminds a letter on the day it has waited the set days, counted in Shanghai days', () => {
    // Written 2026-03-01 09:30 in Shanghai; seven days: reminded from 2026-03-08.
    const createdAt = '2026-03-01T01:30:00.000Z';
    expect(createdAt < reminderCutoff('2026-03-07', 7)).toBe(false);
    expect(createdAt < reminderCutoff('2026-03-08', 7)).toBe(true);
    expect(daysWaiting(createdAt, '2026-03-08')).toBe(7);
    // Written 23:30 in Shanghai on 03-01 is 15:30 UTC: still a 03-01 letter.
    const late = '2026-03-01T15:30:00.000Z';
    expect(late < reminderCutoff('2026-03-08', 7)).toBe(true);
    expect(daysWaiting(late, '2026-03-08')).toBe(7);
    // Written 00:30 on 03-02 in Shanghai (16:30 UTC on 03-01): not yet on 03-08.
    const next = '2026-03-01T16:30:00.000Z';
    expect(next < reminderCutoff('2026-03-08', 7)).toBe(false);
    expect(reminderCutoff('2026-03-08', 1)).toBe('2026-03-07T16:00:00.000Z');
  });
});
