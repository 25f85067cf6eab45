/**
 * Care end to end: the planner for a date, fanned out over SQS, grants once per member and
 * occasion however often it runs, within the caps, women-only and retirees-only occasions,
 * birthdays (29 February on 28 February in common years), and the ledger.
 */

import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { careLedger, carePlan } from '../../infra/cli/commands/care.ts';
import { DEFAULT_CARE_POLICY } from '../../shared/domain/care/policy.ts';
import {
  api,
  db,
  hiredEvent,
  hrEvent,
  mailsTo,
  memberByEmployee,
  publish,
  queryPartition,
  runtime,
  token,
  uniqueId,
  waitIdle,
} from './support.ts';

const grantsOf = async (employeeId: string) =>
  (await queryPartition(`EMPLOYEE#${employeeId}`)).filter((i) => String(i.SK).startsWith('GRANT#'));

let branch: string;
let dept: string;
const people: Record<string, string> = {};

beforeAll(async () => {
  // A branch of its own, so these members are the only ones the holiday runs touch here.
  dept = uniqueId('CARE');
  branch = `B${dept}`;
  const chair = await token('chair-1', 'chair');
  expect(
    (
      await api('PUT', `/departments/${dept}`, {
        token: chair,
        body: { departmentName: '关怀测试学院', branch: { code: branch, name: '关怀测试分工会' } },
      })
    ).status,
  ).toBe(200);
  for (const who of ['woman', 'man', 'retiree', 'newcomer', 'leap']) people[who] = uniqueId('K');
  const department = { code: dept, name: '关怀测试学院' };
  await publish([
    hiredEvent(people.woman!, {
      department,
      gender: 'female',
      birthDate: '1990-07-07',
      occurredAt: '2026-01-05T09:00:00+08:00',
      hireDate: '2026-01-05',
    }),
    hiredEvent(people.man!, {
      department,
      gender: 'male',
      birthDate: '1985-05-05',
      occurredAt: '2026-01-05T09:00:00+08:00',
      hireDate: '2026-01-05',
    }),
    hiredEvent(people.retiree!, {
      department,
      gender: 'male',
      birthDate: '1960-01-01',
      occurredAt: '2026-01-05T09:00:00+08:00',
      hireDate: '2026-01-05',
    }),
    hiredEvent(people.leap!, {
      department,
      gender: 'female',
      birthDate: '1992-02-29',
      occurredAt: '2026-01-05T09:00:00+08:00',
      hireDate: '2026-01-05',
    }),
    // Joined the day before the mid-autumn dispatch date (2026-09-24).
    hiredEvent(people.newcomer!, {
      department,
      gender: 'male',
      birthDate: '1999-12-12',
      occurredAt: '2026-09-23T09:00:00+08:00',
      hireDate: '2026-09-23',
    }),
  ]);
  await publish([
    hrEvent('EmployeeRetired', {
      eventId: `${people.retiree}-r`,
      occurredAt: '2026-06-30T09:00:00+08:00',
      employeeId: people.retiree,
      retirementDate: '2026-06-30',
    }),
  ]);
  await waitIdle();
});

describe('care', () => {
  it('grants the mid-autumn festival once on its dispatch date, however often the planner runs', async () => {
    const plan = await carePlan({ date: '2026-09-24' });
    expect(plan.holidays).toEqual(['mid_autumn']);
    await carePlan({ date: '2026-09-24' });
    await waitIdle();
    await carePlan({ date: '2026-09-24' });
    await waitIdle();
    const woman = await grantsOf(people.woman!);
    expect(woman.map((g) => g.occasion)).toEqual(['mid_autumn']);
    expect(woman[0]).toMatchObject({ amountFen: 30000, year: 2026, date: '2026-09-24', reason: 'full' });
    expect((await grantsOf(people.newcomer!)).map((g) => g.occasion)).toEqual(['mid_autumn']);
    // Retirees get 重阳, not the festivals of the active members.
    expect(await grantsOf(people.retiree!)).toHaveLength(0);
    const mails = (await mailsTo(`${people.woman!.toLowerCase()}@example.edu.cn`)).filter((m) =>
      m.subject.includes('中秋节'),
    );
    expect(mails).toHaveLength(1);
  });

  it("keeps women's day to women and the double ninth to retirees", async () => {
    await carePlan({ date: '2026-03-06' });
    await carePlan({ date: '2026-10-16' });
    await waitIdle();
    expect((await grantsOf(people.woman!)).map((g) => g.occasion).sort()).toEqual([
      'mid_autumn',
      'womens_day',
    ]);
    expect((await grantsOf(people.man!)).map((g) => g.occasion)).toEqual(['mid_autumn']);
    expect((await grantsOf(people.retiree!)).map((g) => g.occasion)).toEqual(['double_ninth']);
  });

  it('enforces the yearly holiday cap across occasions: reduced, then skipped, with the reason', async () => {
    // A policy with a 1,000-yuan holiday cap takes effect; the man already has mid-autumn (300).
    const policy = {
      ...DEFAULT_CARE_POLICY,
      effectiveFrom: '2025-01-01',
      caps: { ...DEFAULT_CARE_POLICY.caps, holiday: 100000 },
    };
    const key = { PK: 'SETTINGS', SK: 'CARE#POLICY#2025-01-01' };
    await db().send(
      new PutCommand({ TableName: runtime().tableName, Item: { ...key, entity: 'Setting', policy } }),
    );
    try {
      // new year (dispatched 2025-12-31), spring festival 500, labour day 150, dragon boat 200 → 50, teachers' day, national day
      // Day after day, each day's grants done before the next (as the days come): the cap is spent in order.
      for (const date of [
        '2025-12-31',
        '2026-02-14',
        '2026-04-30',
        '2026-06-18',
        '2026-09-09',
        '2026-09-30',
      ]) {
        await carePlan({ date });
        await waitIdle();
      }
    } finally {
      await db().send(new DeleteCommand({ TableName: runtime().tableName, Key: key }));
    }
    const man = Object.fromEntries((await grantsOf(people.man!)).map((g) => [g.occasion, g]));
    // He joined on 2026-01-05: the 2026 new year, handed out on 2025-12-31, was before his time.
    expect(man.new_year).toBeUndefined();
    expect(man.spring_festival).toMatchObject({ amountFen: 50000, reason: 'full' });
    expect(man.labour_day).toMatchObject({ amountFen: 15000, reason: 'full' });
    expect(man.dragon_boat).toMatchObject({ amountFen: 5000, reason: 'reduced_by_cap' });
    for (const o of ['teachers_day', 'national_day'])
      expect(man[o]).toMatchObject({ amountFen: 0, reason: 'skipped_cap_reached' });
    expect((await memberByEmployee(people.man!))?.care?.['2026']?.holiday).toBe(100000);
  });

  it('honours 29 February birthdays on 28 February in common years, once', async () => {
    await carePlan({ date: '2027-02-28' });
    await carePlan({ date: '2027-02-28' });
    await waitIdle();
    const birthdays = (await grantsOf(people.leap!)).filter((g) => g.occasion === 'birthday');
    expect(birthdays).toHaveLength(1);
    expect(birthdays[0]).toMatchObject({ year: 2027, date: '2027-02-28', amountFen: 30000 });
  });

  it('shows the ledger for audit, by branch and occasion, with totals', async () => {
    const ledger = await careLedger({ year: '2026', branch });
    expect(ledger.entries.every((e) => e.branch === branch)).toBe(true);
    const mid = ledger.totals.find((t) => t.occasion === 'mid_autumn');
    expect(mid).toMatchObject({ entries: 4, amountFen: 120000 });
    const officer = await token('officer-c', 'officer', { branch });
    const viaApi = await api('GET', `/care/ledger?year=2026&branch=${branch}&occasion=mid_autumn`, {
      token: officer,
    });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.entries).toHaveLength(4);
    expect(viaApi.body.entries[0]).toEqual(
      expect.objectContaining({
        memberId: expect.any(String),
        employeeId: expect.any(String),
        occasion: 'mid_autumn',
        amountFen: 30000,
        date: '2026-09-24',
        reason: 'full',
      }),
    );
    expect((await api('GET', '/care/ledger?year=2026&branch=OTHER', { token: officer })).status).toBe(403);
    const csv = await api('GET', `/care/ledger.csv?year=2026&branch=${branch}`, {
      token: await token('aud-1', 'auditor'),
    });
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('合计 total');
  });
});
