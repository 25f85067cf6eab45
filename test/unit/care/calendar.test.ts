import { describe, expect, it } from 'vitest';
import { unionCalendar, WorkCalendar } from '../../../shared/domain/care/calendar.ts';

const dates = (year: number) => Object.fromEntries(unionCalendar(year).map((e) => [e.occasion, e.date]));
const dispatch = (year: number) =>
  Object.fromEntries(unionCalendar(year).map((e) => [e.occasion, e.dispatchDate]));

describe('union calendar', () => {
  it('puts the lunar festivals on their published dates, 2025–2027', () => {
    // Published dates of 春节, 端午, 中秋 and 重阳.
    expect(dates(2025)).toMatchObject({
      spring_festival: '2025-01-29',
      dragon_boat: '2025-05-31',
      mid_autumn: '2025-10-06',
      double_ninth: '2025-10-29',
    });
    expect(dates(2026)).toMatchObject({
      spring_festival: '2026-02-17',
      dragon_boat: '2026-06-19',
      mid_autumn: '2026-09-25',
      double_ninth: '2026-10-18',
    });
    expect(dates(2027)).toMatchObject({
      spring_festival: '2027-02-06',
      dragon_boat: '2027-06-09',
      mid_autumn: '2027-09-15',
      double_ninth: '2027-10-08',
    });
    expect(dates(2026)).toMatchObject({
      new_year: '2026-01-01',
      womens_day: '2026-03-08',
      labour_day: '2026-05-01',
      teachers_day: '2026-09-10',
      national_day: '2026-10-01',
    });
  });

  it('hands gifts out on the last working day before the rest days, by the State Council arrangement', () => {
    // 2026 春节: rest 15–23 February, Saturday 14 February is a 调休 working day.
    expect(dispatch(2026).spring_festival).toBe('2026-02-14');
    // 2025 中秋 falls inside the National Day rest days (1–8 October).
    expect(dispatch(2025).mid_autumn).toBe('2025-09-30');
    // 2026 重阳 is a Sunday: the Friday before.
    expect(dispatch(2026).double_ninth).toBe('2026-10-16');
    expect(dispatch(2026).new_year).toBe('2025-12-31');
    expect(dispatch(2026).dragon_boat).toBe('2026-06-18');
  });

  it('knows 2025 and 2026, and takes an override table for a year the library lacks', () => {
    expect(new WorkCalendar().knows(2026)).toBe(true);
    expect(unionCalendar(2027).every((e) => !e.arrangementKnown)).toBe(true);
    const overrides = [
      { date: '2027-02-05', work: false },
      { date: '2027-02-04', work: false },
      { date: '2027-01-30', work: true },
    ];
    const entry = unionCalendar(2027, { overrides }).find((e) => e.occasion === 'spring_festival')!;
    expect(entry.arrangementKnown).toBe(true);
    expect(entry.dispatchDate).toBe('2027-02-03');
  });

  it('counts working days ahead when a policy asks for more than one', () => {
    expect(new WorkCalendar().dispatchDate('2026-10-01', 3)).toBe('2026-09-28');
  });
});
