/**
 * Care settings end to end, through the gateway and the planner: an occasion of the union's own
 * (三月三, lunar 3/3) granted on its dispatch date; a working-day override that moves that date; a
 * policy version that changes the amount only from its effective date; the past not rewritten
 * (409); the failing fields (400); and nobody but the chair and admins (403).
 *
 * Years 2031 and 2032: the lunar library knows neither's 调休 arrangement, and no other test plans
 * them. Settings are shared by the whole runtime: the occasion is removed at the end.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarCommand, carePlan } from '../../infra/cli/commands/care.ts';
import { api, hiredEvent, mailsTo, publish, queryPartition, token, uniqueId, waitIdle } from './support.ts';

const grantsOf = async (employeeId: string, occasion: string) =>
  (await queryPartition(`EMPLOYEE#${employeeId}`)).filter(
    (i) => String(i.SK).startsWith('GRANT#') && i.occasion === occasion,
  );

// 三月三 falls on 2031-03-25 (Tuesday) and 2032-04-12 (Monday).
const occasion = `sanyuesan_${uniqueId('').toLowerCase()}`;
let chair: string;
let admin: string;
const people: string[] = [];

beforeAll(async () => {
  chair = await token(uniqueId('CSCH'), 'chair');
  admin = await token(uniqueId('CSAD'), 'admin');
  const dept = uniqueId('CSD');
  expect(
    (
      await api('PUT', `/departments/${dept}`, {
        token: chair,
        body: { departmentName: '壮族文化学院', branch: { code: `B${dept}`, name: '壮族文化分工会' } },
      })
    ).status,
  ).toBe(200);
  people.push(uniqueId('CS'), uniqueId('CS'));
  await publish(
    people.map((id, i) =>
      hiredEvent(id, {
        department: { code: dept, name: '壮族文化学院' },
        gender: i ? 'male' : 'female',
        birthDate: '1991-07-15',
        occurredAt: '2026-01-05T09:00:00+08:00',
        hireDate: '2026-01-05',
      }),
    ),
  );
  await waitIdle();
});

afterAll(async () => {
  await api('DELETE', `/care/occasions/${occasion}`, { token: chair });
});

describe('care settings', () => {
  it('refuses everyone but the chair and admins, before looking at what they sent', async () => {
    const callers = [
      await token(people[0]!, 'member'),
      await token(uniqueId('CSOF'), 'officer', { branch: 'ANY' }),
      await token(uniqueId('CSAU'), 'auditor'),
      await token(uniqueId('CSCO'), 'committee'),
    ];
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/care/policy'],
      ['PUT', '/care/policy', { effectiveFrom: '2099-01-01' }],
      ['GET', '/care/occasions'],
      ['POST', '/care/occasions', { bogus: 1 }],
      ['DELETE', '/care/occasions/spring_festival'],
      ['GET', '/care/workdays/2031'],
      ['PUT', '/care/workdays/2031', { days: [] }],
    ];
    for (const [method, path, body] of routes) {
      for (const t of callers)
        expect(
          (await api(method, path, { token: t, ...(body ? { body } : {}) })).status,
          `${method} ${path}`,
        ).toBe(403);
      expect((await api(method, path, body ? { body } : {})).status).toBe(401);
    }
    expect((await api('GET', '/care/policy', { token: admin })).status).toBe(200);
  });

  it('answers 400 with the failing fields', async () => {
    const policy = await api('PUT', '/care/policy', {
      token: chair,
      body: {
        effectiveFrom: '2031-13-01',
        caps: { holiday: -1 },
        occasions: { mid_autumn: { amountFen: 1.5 } },
      },
    });
    expect(policy.status).toBe(400);
    expect(policy.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'caps.holiday',
      'effectiveFrom',
      'occasions.mid_autumn.amountFen',
    ]);
    const unknown = await api('PUT', '/care/policy', {
      token: chair,
      body: { effectiveFrom: '2099-01-01', occasions: { no_such_day: { amountFen: 100 } } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'occasions.no_such_day' })]);
    const day = await api('POST', '/care/occasions', {
      token: chair,
      body: {
        occasion: 'founding',
        name: '校庆',
        calendar: 'solar',
        month: 2,
        day: 30,
        audience: 'all',
        amountFen: 100,
      },
    });
    expect(day.status).toBe(400);
    expect(day.body.errors).toEqual([expect.objectContaining({ field: 'day' })]);
    const days = await api('PUT', '/care/workdays/2031', {
      token: chair,
      body: { days: [{ date: '2030-12-31', work: true }] },
    });
    expect(days.status).toBe(400);
    expect(days.body.errors).toEqual([expect.objectContaining({ field: 'days.0.date' })]);
    expect((await api('GET', '/care/workdays/31', { token: chair })).body.errors[0].field).toBe('year');
  });

  it('does not rewrite the past: 409 for a policy version before today or a past working day', async () => {
    const past = await api('PUT', '/care/policy', {
      token: chair,
      body: { effectiveFrom: '2020-01-01', caps: { holiday: 100 } },
    });
    expect(past.status).toBe(409);
    expect(past.body.message).toMatch(/早于今天.*before today/);
    // 2026's arrangement is in the library; a day already past is not changed after the fact.
    const day = await api('PUT', '/care/workdays/2026', {
      token: chair,
      body: { days: [{ date: '2026-01-05', work: false }] },
    });
    expect(day.status).toBe(409);
    expect(day.body.dates).toEqual(['2026-01-05']);
    expect((await api('DELETE', '/care/occasions/spring_festival', { token: chair })).status).toBe(409);
  });

  it('grants an occasion of the union’s own on its dispatch date, moved by a working-day override, at the amount in force that day', async () => {
    const body = {
      occasion,
      name: '三月三',
      calendar: 'lunar',
      month: 3,
      day: 3,
      audience: 'all',
      amountFen: 8800,
      gift: '五色糯米饭',
    };
    const added = await api('POST', '/care/occasions', { token: chair, body });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      occasion,
      source: 'custom',
      rule: { amountFen: 8800, workingDaysAhead: 1 },
    });
    expect((await api('POST', '/care/occasions', { token: chair, body })).status).toBe(409);
    const listed = await api('GET', '/care/occasions', { token: admin });
    expect(listed.body.items.map((o: { occasion: string }) => o.occasion)).toEqual(
      expect.arrayContaining(['spring_festival', occasion]),
    );

    // No arrangement for 2031 anywhere: plain weekends, the Monday before, and a warning.
    let calendar = await calendarCommand({ year: '2031' });
    expect(calendar.entries.find((e) => e.occasion === occasion)).toMatchObject({
      name: '三月三',
      date: '2031-03-25',
      dispatchDate: '2031-03-24',
    });
    expect(calendar.warnings.join()).toContain('2031');
    expect((await api('GET', '/care/workdays/2031', { token: chair })).body).toMatchObject({
      source: 'missing',
      libraryKnows: false,
    });

    // The State Council makes that Monday a rest day (调休): gifts go out the Friday before.
    const put = await api('PUT', '/care/workdays/2031', {
      token: chair,
      body: {
        days: [
          { date: '2031-03-24', work: false },
          { date: '2031-03-29', work: true },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect((await api('GET', '/care/workdays/2031', { token: admin })).body).toMatchObject({
      source: 'override',
      days: [
        { date: '2031-03-24', work: false },
        { date: '2031-03-29', work: true },
      ],
    });
    calendar = await calendarCommand({ year: '2031' });
    expect(calendar.entries.find((e) => e.occasion === occasion)?.dispatchDate).toBe('2031-03-21');
    expect(calendar.warnings).toHaveLength(1);
    expect(calendar.warnings[0]).toContain('2032');

    // From 2032 on, a policy version pays more for it; 2031 keeps the occasion's own amount.
    const version = await api('PUT', '/care/policy', {
      token: chair,
      body: { effectiveFrom: '2032-01-01', occasions: { [occasion]: { amountFen: 16600 } } },
    });
    expect(version.status).toBe(200);
    expect(version.body.occasions[occasion]).toMatchObject({ amountFen: 16600, gift: '五色糯米饭' });
    expect(version.body.occasions.mid_autumn).toMatchObject({ amountFen: 30000 });
    const before = await api('GET', '/care/policy?date=2031-12-31', { token: chair });
    expect(before.body.inForce.occasions[occasion]).toBeUndefined();
    const after = await api('GET', '/care/policy?date=2032-01-01', { token: chair });
    expect(after.body).toMatchObject({ source: 'stored', inForce: { effectiveFrom: '2032-01-01' } });

    const monday = await carePlan({ date: '2031-03-24' });
    expect(monday.holidays).not.toContain(occasion);
    const friday = await carePlan({ date: '2031-03-21' });
    expect(friday.holidays).toContain(occasion);
    expect(friday.warnings.join()).toContain('2032');
    await waitIdle();
    await carePlan({ date: '2031-03-21' });
    await waitIdle();
    for (const id of people) {
      const grants = await grantsOf(id, occasion);
      expect(grants).toHaveLength(1);
      expect(grants[0]).toMatchObject({
        year: 2031,
        date: '2031-03-21',
        amountFen: 8800,
        occasionName: '三月三',
        gift: '五色糯米饭',
        policyEffectiveFrom: '2000-01-01',
      });
    }
    const mail = (await mailsTo(`${people[0]!.toLowerCase()}@example.edu.cn`)).filter((m) =>
      m.subject.includes('三月三'),
    );
    expect(mail).toHaveLength(1);

    // 2032: 三月三 is Monday 12 April, dispatched Friday 9 April, at the new version's amount.
    const next = await carePlan({ date: '2032-04-09' });
    expect(next.holidays).toContain(occasion);
    await waitIdle();
    for (const id of people) {
      const grants = (await grantsOf(id, occasion)).sort((a, b) => a.year - b.year);
      expect(grants.map((g) => [g.year, g.date, g.amountFen, g.policyEffectiveFrom])).toEqual([
        [2031, '2031-03-21', 8800, '2000-01-01'],
        [2032, '2032-04-09', 16600, '2032-01-01'],
      ]);
    }
  });

  it('removes an occasion of the union’s own; its grants stay in the ledger', async () => {
    expect((await api('DELETE', `/care/occasions/${occasion}`, { token: admin })).status).toBe(200);
    expect((await api('DELETE', `/care/occasions/${occasion}`, { token: admin })).status).toBe(404);
    const listed = await api('GET', '/care/occasions', { token: chair });
    expect(listed.body.items.map((o: { occasion: string }) => o.occasion)).not.toContain(occasion);
    expect(await grantsOf(people[0]!, occasion)).toHaveLength(2);
    expect((await carePlan({ date: '2032-04-09' })).holidays).not.toContain(occasion);
  });
});
