/** The pure rules of activities: the window, admission, the waiting list and promotion. */
import { describe, expect, it } from 'vitest';
import {
  activityProblems,
  admit,
  dayAfter,
  dayBefore,
  familyOf,
  freePlaces,
  promotions,
  waitingList,
  windowState,
} from '../../../shared/domain/activities/activity.ts';

const w = (seq: number, places: number, status: 'waiting' | 'confirmed' | 'cancelled' = 'waiting') => ({
  employeeId: `E${seq}`,
  seq,
  places,
  status,
});

describe('the registration window', () => {
  it('includes both days', () => {
    const win = { opensOn: '2026-12-01', closesOn: '2026-12-05' };
    expect(windowState(win, '2026-11-30')).toBe('not_open');
    expect(windowState(win, '2026-12-01')).toBe('open');
    expect(windowState(win, '2026-12-05')).toBe('open');
    expect(windowState(win, '2026-12-06')).toBe('closed');
  });

  it('refuses windows that end after the activity or before they open, and no capacity', () => {
    const ok = { date: '2026-12-10', opensOn: '2026-12-01', closesOn: '2026-12-10', capacity: 1 };
    expect(activityProblems(ok)).toEqual([]);
    expect(activityProblems({ ...ok, closesOn: '2026-12-11' }).map((p) => p.field)).toEqual(['closesOn']);
    expect(activityProblems({ ...ok, opensOn: '2026-12-11' }).map((p) => p.field)).toContain('closesOn');
    expect(activityProblems({ ...ok, capacity: 0 }).map((p) => p.field)).toEqual(['capacity']);
  });

  it('counts days across month and year ends', () => {
    expect(dayBefore('2027-01-01')).toBe('2026-12-31');
    expect(dayAfter('2028-02-28')).toBe('2028-02-29');
  });
});

describe('admission', () => {
  it('confirms what fits the free places and puts the rest on the waiting list', () => {
    expect(freePlaces({ capacity: 5, taken: 3 })).toBe(2);
    expect(admit({ capacity: 5, taken: 3 }, 2)).toBe('confirmed');
    expect(admit({ capacity: 5, taken: 3 }, 3)).toBe('waiting');
    expect(admit({ capacity: 5, taken: 5 }, 1)).toBe('waiting');
  });

  it('never confirms beyond the capacity, whatever the order of registrations', () => {
    for (let trial = 0; trial < 200; trial++) {
      const capacity = 1 + (trial % 9);
      let taken = 0;
      for (let i = 0; i < 30; i++) {
        const places = 1 + ((trial * 7 + i * 13) % 4);
        if (admit({ capacity, taken }, places) === 'confirmed') taken += places;
        expect(taken).toBeLessThanOrEqual(capacity);
      }
    }
  });
});

describe('the waiting list', () => {
  it('is ordered by sequence and leaves out confirmed and cancelled registrations', () => {
    const list = waitingList([w(5, 1), w(2, 1), w(3, 1, 'confirmed'), w(4, 1, 'cancelled'), w(1, 1)]);
    expect(list.map((r) => r.seq)).toEqual([1, 2, 5]);
  });

  it('promotes the first who fits, then the next who fits what is left', () => {
    const regs = [w(1, 3), w(2, 1), w(3, 2), w(4, 1)];
    expect(promotions(0, regs)).toEqual([]);
    expect(promotions(1, regs).map((r) => r.seq)).toEqual([2]);
    expect(promotions(2, regs).map((r) => r.seq)).toEqual([2, 4]);
    expect(promotions(3, regs).map((r) => r.seq)).toEqual([1]);
    expect(promotions(4, regs).map((r) => r.seq)).toEqual([1, 2]);
    expect(promotions(10, regs).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });

  it('never promotes beyond the free places, and keeps the order among those promoted', () => {
    for (let free = 0; free < 12; free++) {
      const regs = Array.from({ length: 10 }, (_, i) => w(10 - i, 1 + ((i * 5) % 3)));
      const promoted = promotions(free, regs);
      expect(promoted.reduce((n, r) => n + r.places, 0)).toBeLessThanOrEqual(free);
      expect(promoted.map((r) => r.seq)).toEqual([...promoted.map((r) => r.seq)].sort((a, b) => a - b));
    }
  });
});

describe('family members', () => {
  const kid = { name: '张小明', relation: 'child' as const };
  it('counts the named ones, or takes the count when none are named', () => {
    expect(familyOf({})).toEqual({ family: 0, familyMembers: [] });
    expect(familyOf({ family: 2 })).toEqual({ family: 2, familyMembers: [] });
    expect(familyOf({ familyMembers: [kid, kid] })).toEqual({ family: 2, familyMembers: [kid, kid] });
    expect(familyOf({ family: 1, familyMembers: [kid] })).toEqual({ family: 1, familyMembers: [kid] });
  });

  it('refuses a count that disagrees with the names, on the family field', () => {
    expect(familyOf({ family: 1, familyMembers: [] })).toEqual({
      problem: { field: 'family', message: '家属人数与名单不符 / does not match familyMembers' },
    });
    expect(familyOf({ family: 0, familyMembers: [kid] })).toHaveProperty('problem');
  });
});
