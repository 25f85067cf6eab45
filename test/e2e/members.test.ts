/**
 * Membership end to end through the embedded runtime: every HR event, repeated and concurrent
 * deliveries, events out of order, malformed events, and the members API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDlq } from '../../infra/cli/commands/dlq.ts';
import { dynamoMemberRepository } from '../../shared/adapters/member-repository-dynamodb.ts';
import type { Member } from '../../shared/domain/members/member.ts';
import {
  api,
  db,
  hiredEvent,
  hrEvent,
  mails,
  mailsTo,
  memberByEmployee,
  publish,
  runtime,
  token,
  uniqueId,
  waitIdle,
} from './support.ts';

const at = (date: string) => `${date}T09:00:00+08:00`;

describe('membership from HR events', () => {
  it('applies a hire, an update, a transfer, a retirement and a death, telling the office', async () => {
    const chair = await token('chair-1', 'chair');
    const dept = uniqueId('D');
    expect(
      (
        await api('PUT', `/departments/${dept}`, {
          token: chair,
          body: { departmentName: '电子工程学院', branch: { code: `B${dept}`, name: '电子工程学院分工会' } },
        })
      ).status,
    ).toBe(200);

    const id = uniqueId('L');
    await publish([hiredEvent(id)]);
    await waitIdle();
    expect(await memberByEmployee(id)).toMatchObject({
      status: 'active',
      branch: { code: 'SCHOOL' },
      branchAssignedByDefault: true,
    });
    const office = await mailsTo('union@gonghui.local');
    expect(office.some((m) => m.text?.includes(id) && m.subject.includes('尚未对应分工会'))).toBe(true);

    await publish([
      hrEvent('EmployeeUpdated', {
        eventId: `${id}-u`,
        occurredAt: at('2026-09-10'),
        employeeId: id,
        changes: { name: '黄丽', email: `${id}-new@example.edu.cn` },
      }),
    ]);
    await publish([
      hrEvent('EmployeeTransferred', {
        eventId: `${id}-t`,
        occurredAt: at('2026-10-01'),
        employeeId: id,
        department: { code: dept, name: '电子工程学院' },
        effectiveDate: '2026-10-01',
      }),
    ]);
    await publish([
      hrEvent('EmployeeRetired', {
        eventId: `${id}-r`,
        occurredAt: at('2026-12-31'),
        employeeId: id,
        retirementDate: '2026-12-31',
      }),
    ]);
    await waitIdle();
    expect(await memberByEmployee(id)).toMatchObject({
      name: '黄丽',
      email: `${id.toLowerCase()}-new@example.edu.cn`,
      department: { code: dept },
      branch: { code: `B${dept}` },
      status: 'retired',
    });

    await publish([
      hrEvent('EmployeeDeparted', {
        eventId: `${id}-d`,
        occurredAt: at('2027-02-01'),
        employeeId: id,
        departureDate: '2027-02-01',
        reason: 'deceased',
      }),
    ]);
    await waitIdle();
    expect(await memberByEmployee(id)).toMatchObject({ status: 'left', departureReason: 'deceased' });
    const deathNotices = (await mailsTo('union@gonghui.local')).filter(
      (m) => m.subject.includes('会员逝世') && m.text?.includes(id),
    );
    expect(deathNotices).toHaveLength(1);
  });

  it('enrols once, with one number and one mail, when the same hire arrives three times', async () => {
    const id = uniqueId('T');
    const event = hiredEvent(id);
    await Promise.all([publish([event]), publish([event]), publish([event])]);
    await waitIdle();
    const member = await memberByEmployee(id);
    expect(member?.version).toBe(1);
    expect(await mailsTo(`${id.toLowerCase()}@example.edu.cn`)).toHaveLength(1);
  });

  it('gives 50 concurrent hires 50 distinct, consecutive numbers', async () => {
    const ids = Array.from({ length: 50 }, () => uniqueId('C'));
    const events = ids.map((id) => hiredEvent(id));
    await Promise.all(Array.from({ length: 5 }, (_, i) => publish(events.slice(i * 10, i * 10 + 10))));
    await waitIdle();
    const numbers = await Promise.all(
      ids.map(async (id) => (await memberByEmployee(id))?.membershipNumber as string),
    );
    const sequence = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(sequence.at(-1)! - sequence[0]!).toBe(49);
  });

  it('numbers a year one batch at a time: a batch learns where the counter is before its transaction', async () => {
    // Straight against DynamoDB Local, on a year no other test numbers in, with a short lease.
    const repo = dynamoMemberRepository(db(), runtime().tableName, { numberingLeaseMs: 400 });
    const year = 2071;
    const person = (employeeId: string, n: number): Member =>
      ({
        employeeId,
        memberId: uniqueId('M'),
        enrolled: true,
        status: 'active',
        membershipNumber: `GLU-${year}-${String(n).padStart(6, '0')}`,
        version: 1,
      }) as Member;
    const counter = async () =>
      (await repo.readBatch({ employeeIds: [], departments: [], years: [year] })).counters.get(year)!;
    const before = await counter();
    const [a, b, c] = [uniqueId('RA'), uniqueId('RB'), uniqueId('RC')];
    // New members numbered from `previous` on, by `writer` (a batch holding the year's lease).
    const saveAs = (writer: string, previous: number, ...people: Member[]) =>
      repo.save({
        members: people,
        before: new Map(),
        counters: [{ year, previous, next: previous + people.length }],
        events: [],
        writer,
      });

    expect(await saveAs('w-a', before, person(a, before + 1), person(uniqueId('RA'), before + 2))).toBe(
      'saved',
    );
    // b read the counter before a saved: told where it is now, nothing written; b holds the year.
    expect(await saveAs('w-b', before, person(b, before + 1))).toEqual({
      counters: new Map([[year, before + 2]]),
    });
    expect(await memberByEmployee(b)).toBeUndefined();
    // Meanwhile c must wait for b.
    expect(await saveAs('w-c', before + 2, person(c, before + 3))).toBe('busy');
    expect(await saveAs('w-b', before + 2, person(b, before + 3))).toBe('saved');
    // b's transaction gave the year back: c learns where the counter is now.
    expect(await saveAs('w-c', before + 2, person(c, before + 3))).toEqual({
      counters: new Map([[year, before + 3]]),
    });
    // c stops there (its batch failed, or it died): the year is free again once c's lease is over.
    expect(await saveAs('w-d', before + 3, person(c, before + 4))).toBe('busy');
    await new Promise((r) => setTimeout(r, 500));
    // A member written meanwhile makes a save a conflict, whatever the counter.
    expect(await saveAs('w-d', before + 3, person(a, before + 4))).toBe('conflict');
    expect(await saveAs('w-d', before + 3, person(c, before + 4))).toBe('saved');
    const read = await repo.readBatch({ employeeIds: [a, b, c], departments: [], years: [year] });
    expect(read.counters.get(year)).toBe(before + 4);
    expect([...read.members.values()].map((m) => m.membershipNumber).sort()).toEqual(
      [before + 1, before + 3, before + 4].map((n) => `GLU-${year}-${String(n).padStart(6, '0')}`),
    );
  });

  it('keeps a departure that arrives before its hire, and applies it: no welcome', async () => {
    const id = uniqueId('O');
    await publish([
      hrEvent('EmployeeDeparted', {
        eventId: `${id}-d`,
        occurredAt: at('2026-10-01'),
        employeeId: id,
        departureDate: '2026-10-01',
        reason: 'resigned',
      }),
    ]);
    await waitIdle();
    expect(await memberByEmployee(id)).toMatchObject({ enrolled: false, status: 'left' });
    await publish([hiredEvent(id)]);
    await waitIdle();
    const member = await memberByEmployee(id);
    expect(member).toMatchObject({ enrolled: true, status: 'left' });
    expect(member?.membershipNumber).toMatch(/^GLU-2026-/);
    expect(await mailsTo(`${id.toLowerCase()}@example.edu.cn`)).toHaveLength(0);
  });

  it('sends malformed events to the DLQ with the reason logged, writing nothing', async () => {
    const bad = [
      hiredEvent(uniqueId('M'), { email: 'nope' }),
      hrEvent('EmployeeHired', { eventId: 'x' }),
      hrEvent('EmployeeFired', {
        eventId: uniqueId('F'),
        occurredAt: at('2026-10-01'),
        employeeId: uniqueId('F'),
      }),
      hrEvent('EmployeeUpdated', {
        eventId: uniqueId('U'),
        occurredAt: at('2026-10-01'),
        employeeId: uniqueId('U'),
        changes: {},
      }),
    ];
    const before = (await mails()).length;
    await publish(bad);
    await waitIdle(90_000);
    const dead = (await listDlq({ queue: 'hr' })).map((m) =>
      JSON.stringify((m.body as { detail: unknown }).detail),
    );
    for (const e of bad) expect(dead).toContain(JSON.stringify(e.detail));
    expect(await memberByEmployee((bad[0]!.detail as { employeeId: string }).employeeId)).toBeUndefined();
    expect((await mails()).length).toBe(before);
    const log = readFileSync(join(process.env.GONGHUI_DATA_DIR!, 'logs', 'enrol-member.log'), 'utf8');
    expect(log).toContain('Dead-lettered a malformed message');
    expect(log).toContain('detail.email');
    expect(log).not.toContain('黄丽萍');
  });
});

describe('members API', () => {
  it('lets a member read their membership and leave; officers see their branch only', async () => {
    const id = uniqueId('A');
    await publish([hiredEvent(id)]);
    await waitIdle();
    const me = await token(id, 'member');
    const mine = await api('GET', '/members/me', { token: me });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ employeeId: id, status: 'active', branch: { code: 'SCHOOL' } });
    expect((await api('GET', '/members/me')).status).toBe(401);

    const officer = await token('officer-1', 'officer', { branch: 'SCHOOL' });
    const otherOfficer = await token('officer-2', 'officer', { branch: 'B-OTHER' });
    const listed = await api('GET', `/members?q=${encodeURIComponent('黄丽萍')}&limit=200`, {
      token: officer,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.every((m: { branch: { code: string } }) => m.branch.code === 'SCHOOL')).toBe(
      true,
    );
    expect((await api('GET', '/members?branch=SCHOOL', { token: otherOfficer })).status).toBe(403);
    expect((await api('GET', '/members', { token: me })).status).toBe(403);
    expect((await api('GET', `/members/${mine.body.memberId}`, { token: otherOfficer })).status).toBe(403);
    expect((await api('GET', `/members/${mine.body.memberId}`, { token: officer })).status).toBe(200);
    expect((await api('GET', '/members?limit=0', { token: officer })).status).toBe(400);
    expect((await api('GET', '/members?cursor=@@', { token: officer })).status).toBe(400);

    const left = await api('POST', `/members/${mine.body.memberId}/leave`, {
      token: me,
      body: { reason: '个人原因' },
    });
    expect(left.status).toBe(200);
    expect(left.body.status).toBe('left');
    const again = await api('POST', `/members/${mine.body.memberId}/leave`, { token: me, body: {} });
    expect(again.status).toBe(409);
  });

  it('enrols by hand, with 400 for bad bodies, 403 for non-officers, 409 for members, 413 for big bodies', async () => {
    const chair = await token('chair-1', 'chair');
    const delegate = await token('d-1', 'delegate');
    const id = uniqueId('H');
    const { eventId: _e, occurredAt: _o, ...body } = hiredEvent(id).detail;
    expect((await api('POST', '/members', { token: delegate, body })).status).toBe(403);
    const bad = await api('POST', '/members', { token: chair, body: { ...body, gender: 'x', email: 'no' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'gender']);
    expect(
      (
        await api('POST', '/members', {
          token: chair,
          rawBody: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/members', {
          token: chair,
          rawBody: 'a=b',
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415);
    expect(
      (await api('POST', '/members', { token: chair, body: { ...body, name: 'x'.repeat(70_000) } })).status,
    ).toBe(413);
    const created = await api('POST', '/members', { token: chair, body });
    expect(created.status).toBe(201);
    expect(created.body.membershipNumber).toMatch(/^GLU-\d{4}-\d{6}$/);
    expect((await api('POST', '/members', { token: chair, body })).status).toBe(409);
    await waitIdle();
    expect(await mailsTo(`${id.toLowerCase()}@example.edu.cn`)).toHaveLength(1);
  });
});
