/** The pure rules of mutual medical aid: yuan and fen, the window, the reminder days and audience. */
import { describe, expect, it } from 'vitest';
import {
  fenToYuan,
  isReminderDay,
  undecided,
  yuanToFen,
} from '../../../shared/domain/mutual-aid/mutual-aid.ts';

describe('yuan and fen', () => {
  it('reads yuan with up to two decimals exactly', () => {
    expect(yuanToFen('30')).toBe(3000);
    expect(yuanToFen('30.5')).toBe(3050);
    expect(yuanToFen('30.05')).toBe(3005);
    expect(yuanToFen('0.01')).toBe(1);
    expect(yuanToFen('1.234')).toBeUndefined();
    expect(yuanToFen('-1')).toBeUndefined();
    expect(yuanToFen('1e3')).toBeUndefined();
    expect(yuanToFen('')).toBeUndefined();
  });

  it('writes fen as yuan with two decimals, and back again', () => {
    expect(fenToYuan(3050)).toBe('30.50');
    expect(fenToYuan(5)).toBe('0.05');
    for (let fen = 0; fen < 100_000; fen += 37) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });
});

describe('reminder days', () => {
  const w = { opensOn: '2026-12-01', closesOn: '2026-12-20', reminderDaysBefore: [7, 1] };
  it('are the set days before the close, inside the window', () => {
    expect(isReminderDay(w, '2026-12-13')).toBe(true);
    expect(isReminderDay(w, '2026-12-19')).toBe(true);
    expect(isReminderDay(w, '2026-12-14')).toBe(false);
    expect(isReminderDay(w, '2026-12-20')).toBe(false);
    // A reminder day before the window opens is not one.
    expect(isReminderDay({ ...w, opensOn: '2026-12-15' }, '2026-12-13')).toBe(false);
    expect(isReminderDay({ ...w, reminderDaysBefore: [0] }, '2026-12-20')).toBe(true);
  });

  it('go to members who have not decided', () => {
    const members = [{ employeeId: 'A' }, { employeeId: 'B' }, { employeeId: 'C' }];
    expect(undecided(members, new Set(['B'])).map((m) => m.employeeId)).toEqual(['A', 'C']);
    expect(undecided(members, new Set(['A', 'B', 'C']))).toEqual([]);
  });
});
