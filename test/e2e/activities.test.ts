/**
 * Activities end to end through the embedded runtime: creation by officers, registration inside
 * the window, the waiting list under 24 concurrent registrations against a capacity of 5,
 * promotion on cancellation (first who fits, in the same transaction), family places, the
 * participants list (JSON and CSV), the mails, and the day-before reminder (once per participant).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { activityParticipants } from '../../infra/cli/commands/union-life.ts';
import {
  activityDetailResponse,
  activityListResponse,
  cancelResponse,
  participantsResponse,
  registrationResponse,
} from '../../shared/http/activities-schemas.ts';
import { api, hiredEvent, mailsTo, publish, runtime, token, uniqueId, waitIdle } from './support.ts';

const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const emailOf = (id: string) => `${id.toLowerCase()}@example.edu.cn`;
/** The activity mails a member got (not the welcome), by subject's Chinese half. */
const activityMails = async (id: string) =>
  (await mailsTo(emailOf(id))).filter((m) => !m.subject.startsWith('欢迎'));

let branch: string;
let officer: string;
let officerOther: string;
let chair: string;
/** Members of `branch`, and one of another branch. */
let people: string[];
let outsider: string;
const tokens = new Map<string, string>();
const tok = (id: string) => tokens.get(id)!;

beforeAll(async () => {
  const dept = uniqueId('ACD');
  const otherDept = uniqueId('ACX');
  branch = uniqueId('ACB');
  chair = await token(uniqueId('ACCH'), 'chair');
  for (const [code, b] of [
    [dept, branch],
    [otherDept, `${branch}X`],
  ] as const) {
    const mapped = await api('PUT', `/departments/${code}`, {
      token: chair,
      body: { departmentName: '活动学院', branch: { code: b, name: '活动分工会' } },
    });
    expect(mapped.status).toBe(200);
  }
  people = Array.from({ length: 30 }, (_, i) => uniqueId(`AC${i}M`));
  outsider = uniqueId('ACO');
  await publish([
    ...people.map((id) => hiredEvent(id, { department: { code: dept, name: '活动学院' } })),
    hiredEvent(outsider, { department: { code: otherDept, name: '活动学院' } }),
  ]);
  for (const id of [...people, outsider]) tokens.set(id, await token(id, 'member'));
  officer = await token(uniqueId('ACOF'), 'officer', { branch });
  officerOther = await token(uniqueId('ACOO'), 'officer', { branch: `${branch}X` });
  await waitIdle();
});

const create = async (over: Record<string, unknown> = {}, who = officer) => {
  const res = await api('POST', '/activities', {
    token: who,
    body: {
      title: '教职工趣味运动会',
      kind: 'sports_meet',
      date: day(10),
      place: '东区田径场',
      capacity: 5,
      opensOn: day(0),
      closesOn: day(5),
      eligibility: 'members',
      ...over,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; branch: string | null; capacity: number };
};

const reg = (id: string, who: string, body: unknown = {}) =>
  api('POST', `/activities/${id}/register`, { token: tok(who), body });
const cancel = (id: string, who: string) =>
  api('POST', `/activities/${id}/cancel`, { token: tok(who), body: {} });
const list = async (id: string, who = officer) => {
  const res = await api('GET', `/activities/${id}/participants`, { token: who });
  expect(res.status).toBe(200);
  return res.body as {
    confirmed: Array<{ employeeId: string; places: number; promoted: boolean }>;
    waiting: Array<{ employeeId: string; position: number; registeredAt: string }>;
    totals: { confirmedPlaces: number };
  };
};

describe('activities', () => {
  it('confirms exactly the capacity under 24 concurrent registrations, the rest wait in order, and a cancellation promotes the first', async () => {
    const a = await create();
    expect(a.branch).toBe(branch);
    const who = people.slice(0, 24);
    const results = await Promise.all(who.map((id) => reg(a.id, id)));
    expect(results.map((r) => r.status)).toEqual(who.map(() => 201));
    const confirmed = who.filter((_, i) => results[i]!.body.status === 'confirmed');
    const waiting = who.filter((_, i) => results[i]!.body.status === 'waiting');
    expect(confirmed).toHaveLength(5);
    expect(waiting).toHaveLength(19);
    // Each waiting registration was told its position; together they are 1…19, each once.
    const told = new Map(waiting.map((id) => [id, results[who.indexOf(id)]!.body.position as number]));
    expect([...told.values()].sort((x, y) => x - y)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));

    const before = await list(a.id);
    expect(before.confirmed.map((r) => r.employeeId).sort()).toEqual([...confirmed].sort());
    expect(before.totals.confirmedPlaces).toBe(5);
    // The list's order is the order they were told, and the order their registrations were stored.
    expect(before.waiting.map((r) => [r.employeeId, r.position])).toEqual(
      [...told.entries()].sort((x, y) => x[1] - y[1]),
    );
    const times = before.waiting.map((r) => r.registeredAt);
    expect(times).toEqual([...times].sort());
    const detail = await api('GET', `/activities/${a.id}`, { token: tok(waiting[0]!) });
    expect(detail.body).toMatchObject({ taken: 5, free: 0, waiting: 19, mine: { status: 'waiting' } });
    expect(detail.body.mine.position).toBe(told.get(waiting[0]!));

    // A second registration, by a confirmed or a waiting member: 409.
    expect((await reg(a.id, confirmed[0]!)).status).toBe(409);
    expect((await reg(a.id, waiting[0]!)).status).toBe(409);

    // A confirmed member cancels: the first waiting is promoted in the same transaction.
    const first = before.waiting[0]!.employeeId;
    const second = before.waiting[1]!.employeeId;
    const cancelled = await cancel(a.id, confirmed[0]!);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ status: 'cancelled', promoted: 1 });
    const after = await list(a.id);
    expect(after.confirmed).toHaveLength(5);
    expect(after.confirmed.find((r) => r.employeeId === first)).toMatchObject({ promoted: true });
    expect(after.confirmed.map((r) => r.employeeId)).not.toContain(confirmed[0]);
    expect(after.waiting).toHaveLength(18);
    expect(after.waiting[0]).toMatchObject({ employeeId: second, position: 1 });
    // A waiting member cancels: nothing is promoted, the others move up.
    expect((await cancel(a.id, second)).body).toEqual({ status: 'cancelled', promoted: 0 });
    expect((await list(a.id)).waiting[0]!.position).toBe(1);
    expect((await cancel(a.id, second)).status).toBe(409);
    // Having cancelled, a member may register again: at the back of the queue.
    const again = await reg(a.id, second);
    expect(again.body).toMatchObject({ status: 'waiting', position: 18 });

    await waitIdle();
    const [toConfirmed] = await activityMails(confirmed[1]!);
    expect(toConfirmed?.subject).toContain('报名成功：教职工趣味运动会');
    const toFirst = await activityMails(first);
    expect(toFirst.map((m) => m.subject.split(' | ')[0]).sort()).toEqual([
      '候补成功：教职工趣味运动会',
      '已列入候补：教职工趣味运动会',
    ]);
    const toLast = await activityMails(before.waiting[18]!.employeeId);
    expect(toLast).toHaveLength(1);
    expect(toLast[0]!.text).toContain('候补名单第 19 位');
  });

  it('never leaves a place free while someone waits: cancellations and new registrations at once', async () => {
    const a = await create({ capacity: 3 });
    const first = people.slice(0, 10);
    // One after the other: 3 confirmed, 7 waiting in this order.
    for (const id of first) expect((await reg(a.id, id)).status).toBe(201);
    const start = await list(a.id);
    const waitingBefore = start.waiting.map((r) => r.employeeId);
    expect(waitingBefore).toEqual(first.slice(3));
    // The three confirmed cancel while five others register, all at once.
    const late = people.slice(10, 15);
    const results = await Promise.all([
      ...first.slice(0, 3).map((id) => cancel(a.id, id)),
      ...late.map((id) => reg(a.id, id)),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 201, 201, 201, 201, 201]);
    // Every freed place went to the head of the waiting list in the cancelling transaction, so
    // no newcomer found one free: the newcomers all wait, behind those who waited before.
    expect(results.slice(3).map((r) => r.body.status)).toEqual([
      'waiting',
      'waiting',
      'waiting',
      'waiting',
      'waiting',
    ]);
    const end = await list(a.id);
    expect(end.totals.confirmedPlaces).toBe(3);
    expect(end.confirmed.map((r) => r.employeeId).sort()).toEqual(waitingBefore.slice(0, 3).sort());
    expect(end.confirmed.every((r) => r.promoted)).toBe(true);
    expect(end.waiting.slice(0, 4).map((r) => r.employeeId)).toEqual(waitingBefore.slice(3));
    expect(
      end.waiting
        .slice(4)
        .map((r) => r.employeeId)
        .sort(),
    ).toEqual([...late].sort());
    expect(end.waiting.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives freed places to the first waiting registration that fits, counting family members', async () => {
    const a = await create({ eligibility: 'members_with_family', capacity: 4, kind: 'family_sports' });
    const [p1, p2, p3, p4] = people.slice(24, 28) as [string, string, string, string];
    expect((await reg(a.id, p1, { family: 1 })).body).toMatchObject({ status: 'confirmed', places: 2 });
    expect((await reg(a.id, p2, { family: 1 })).body).toMatchObject({ status: 'confirmed', places: 2 });
    expect((await reg(a.id, p3, { family: 2 })).body).toMatchObject({ status: 'waiting', position: 1 });
    expect((await reg(a.id, p4, {})).body).toMatchObject({ status: 'waiting', position: 2 });
    // Two places free: p3 needs three, p4 one; p4 fits and moves up, p3 keeps waiting first.
    expect((await cancel(a.id, p1)).body).toEqual({ status: 'cancelled', promoted: 1 });
    let now = await list(a.id, chair);
    expect(now.confirmed.map((r) => r.employeeId).sort()).toEqual([p2, p4].sort());
    expect(now.waiting).toEqual([expect.objectContaining({ employeeId: p3, position: 1 })]);
    expect(now.totals.confirmedPlaces).toBe(3);
    // p2 frees two more: three free, p3 (three places) fits.
    expect((await cancel(a.id, p2)).body).toEqual({ status: 'cancelled', promoted: 1 });
    now = await list(a.id, chair);
    expect(now.confirmed.map((r) => r.employeeId).sort()).toEqual([p3, p4].sort());
    expect(now.totals.confirmedPlaces).toBe(4);
    // Family on a members-only activity is a 400; more than six family members too.
    const membersOnly = await create();
    const fam = await reg(membersOnly.id, p1, { family: 1 });
    expect(fam.status).toBe(400);
    expect(fam.body.errors[0].field).toBe('family');
    expect((await reg(a.id, p1, { family: 7 })).status).toBe(400);
    await waitIdle();
    expect((await activityMails(p4)).map((m) => m.subject.split(' | ')[0])).toContain(
      '候补成功：教职工趣味运动会',
    );
  });

  it('takes family members by name and relation (each a place), shows them to the organisers, and answers in the documented shapes', async () => {
    const a = await create({ eligibility: 'members_with_family', capacity: 3, kind: 'family_sports' });
    const [p1, p2] = people.slice(24, 26) as [string, string];
    const family = [
      { name: '张小明', relation: 'child' },
      { name: '李华', relation: 'spouse' },
    ];
    const named = await reg(a.id, p1, { familyMembers: family });
    expect(named.status).toBe(201);
    expect(registrationResponse.parse(named.body)).toMatchObject({
      status: 'confirmed',
      family: 2,
      places: 3,
      familyMembers: family,
    });
    // A count that disagrees with the names, or a relation the API does not know: 400, nothing stored.
    const mismatch = await reg(a.id, p2, { family: 1, familyMembers: [] });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].field).toBe('family');
    const cousin = await reg(a.id, p2, { familyMembers: [{ name: '王五', relation: 'cousin' }] });
    expect(cousin.status).toBe(400);
    expect(cousin.body.errors[0].field).toMatch(/^familyMembers/);
    // Full: p2 and one family member wait, first in line.
    const waiting = await reg(a.id, p2, { familyMembers: [{ name: '赵六', relation: 'parent' }] });
    expect(waiting.body).toMatchObject({ status: 'waiting', position: 1, places: 2 });
    const seen = activityDetailResponse.parse(
      (await api('GET', `/activities/${a.id}`, { token: tok(p2) })).body,
    );
    expect(seen.mine).toMatchObject({ status: 'waiting', position: 1, familyMembers: [{ name: '赵六' }] });
    expect(seen).toMatchObject({ taken: 3, free: 0, waiting: 1, createdBy: expect.any(String) });
    const listed = activityListResponse.parse((await api('GET', '/activities', { token: tok(p2) })).body);
    expect(listed.items.map((i) => i.id)).toContain(a.id);
    const organisers = participantsResponse.parse(
      (await api('GET', `/activities/${a.id}/participants`, { token: officer })).body,
    );
    expect(organisers.confirmed[0]).toMatchObject({ employeeId: p1, familyMembers: family });
    const res = await fetch(`${runtime().apiUrl}/activities/${a.id}/participants?format=csv`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    const rows = parseCsv(await res.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.familyMembers)).toEqual(['张小明 (child); 李华 (spouse)', '赵六 (parent)']);
    // Names on a members-only activity are refused on their field.
    const membersOnly = await create();
    const refused = await reg(membersOnly.id, p1, { familyMembers: [{ name: '张小明', relation: 'child' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('familyMembers');
    // p1 cancels: p2 and their family fit.
    const cancelled = cancelResponse.parse((await cancel(a.id, p1)).body);
    expect(cancelled).toEqual({ status: 'cancelled', promoted: 1 });
    expect((await api('GET', `/activities/${a.id}`, { token: tok(p2) })).body.mine).toMatchObject({
      status: 'confirmed',
      promoted: true,
    });
  });

  it('registers only inside the window (409 outside), only members of the branch, and only organisers see the list', async () => {
    const notYet = await create({ opensOn: day(1) });
    const closed = await create({ opensOn: day(-5), closesOn: day(-1) });
    const m = people[28]!;
    const early = await reg(notYet.id, m);
    expect(early.status).toBe(409);
    expect(early.body.opensOn).toBe(day(1));
    expect((await reg(closed.id, m)).status).toBe(409);
    // The branch's activity: a member of another branch 403, someone not a member 403.
    const open = await create();
    expect((await reg(open.id, outsider)).status).toBe(403);
    const stranger = await token(uniqueId('ACNM'), 'member');
    expect((await api('POST', `/activities/${open.id}/register`, { token: stranger, body: {} })).status).toBe(
      403,
    );
    // A school-wide activity (the chair's): everyone may register.
    const schoolWide = await create({ title: '疗休养（莫干山）', kind: 'recuperation' }, chair);
    expect(schoolWide.branch).toBeNull();
    expect((await reg(schoolWide.id, outsider)).status).toBe(201);
    // Creation: an officer for another branch 403, a member 403, bad dates 400 with the field.
    expect(
      (await api('POST', '/activities', { token: officer, body: { branch: `${branch}X`, title: 'x' } }))
        .status,
    ).toBe(400);
    const foreign = await api('POST', '/activities', {
      token: officer,
      body: {
        title: 't',
        kind: 'club',
        date: day(9),
        place: 'p',
        capacity: 3,
        opensOn: day(0),
        closesOn: day(1),
        eligibility: 'members',
        branch: `${branch}X`,
      },
    });
    expect(foreign.status).toBe(403);
    expect((await api('POST', '/activities', { token: tok(m), body: {} })).status).toBe(403);
    const badDates = await api('POST', '/activities', {
      token: chair,
      body: {
        title: 't',
        kind: 'club',
        date: day(3),
        place: 'p',
        capacity: 3,
        opensOn: day(2),
        closesOn: day(4),
        eligibility: 'members',
      },
    });
    expect(badDates.status).toBe(400);
    expect(badDates.body.errors.map((e: { field: string }) => e.field)).toEqual(['closesOn']);
    // The participants list: organisers only.
    expect((await api('GET', `/activities/${open.id}/participants`, { token: officerOther })).status).toBe(
      403,
    );
    expect((await api('GET', `/activities/${open.id}/participants`, { token: tok(m) })).status).toBe(403);
    expect((await api('GET', `/activities/${schoolWide.id}/participants`, { token: officer })).status).toBe(
      403,
    );
    expect((await api('GET', '/activities/NOSUCH/participants', { token: chair })).status).toBe(404);
    expect(
      (await api('GET', `/activities/${open.id}/participants?format=xml`, { token: chair })).status,
    ).toBe(400);
    // The list of upcoming activities shows them with their places.
    const all = await api('GET', '/activities', { token: tok(m) });
    expect(all.status).toBe(200);
    expect(all.body.items.find((x: { id: string }) => x.id === schoolWide.id)).toMatchObject({
      taken: 1,
      free: 4,
    });
  });

  it('lists participants as CSV and reminds every confirmed participant the day before, once', async () => {
    const date = day(3);
    const a = await create({ date, closesOn: day(2), capacity: 2, title: '羽毛球俱乐部活动', kind: 'club' });
    const [c1, c2, w1] = [people[0]!, people[1]!, people[2]!];
    for (const id of [c1, c2, w1]) expect((await reg(a.id, id)).status).toBe(201);
    const res = await fetch(`${runtime().apiUrl}/activities/${a.id}/participants?format=csv`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(await res.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.employeeId, r.status, r.position])).toEqual([
      [c1, 'confirmed', ''],
      [c2, 'confirmed', ''],
      [w1, 'waiting', '1'],
    ]);
    expect(rows[0]!.name).toBe('黄丽萍');
    // The organiser's command reads the same list.
    const cli = await activityParticipants({ id: a.id });
    expect(cli.confirmed.map((r) => r.employeeId)).toEqual([c1, c2]);
    expect(cli.waiting).toEqual([expect.objectContaining({ employeeId: w1, position: 1 })]);

    await waitIdle();
    const fire = (at: string) =>
      fetch(`${runtime().controlUrl}/schedules/UnionLifeRemindersDaily/fire`, {
        method: 'POST',
        body: JSON.stringify({ at }),
      });
    // 08:00 in Shanghai on the day before, twice; and the day of the activity itself (no reminder).
    const dayBefore = `${day(2)}T00:00:00Z`;
    expect((await fire(dayBefore)).status).toBe(200);
    expect((await fire(dayBefore)).status).toBe(200);
    expect((await fire(`${date}T00:00:00Z`)).status).toBe(200);
    await waitIdle();
    const reminders = async (id: string) =>
      (await mailsTo(emailOf(id))).filter((m) => m.subject.startsWith('明天见：羽毛球俱乐部活动'));
    expect(await reminders(c1)).toHaveLength(1);
    expect(await reminders(c2)).toHaveLength(1);
    expect(await reminders(w1)).toHaveLength(0);
    expect((await reminders(c1))[0]!.text).toContain(date);
  });

  it('documents its routes in /openapi.json', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/activities',
        '/activities/{id}',
        '/activities/{id}/register',
        '/activities/{id}/cancel',
        '/activities/{id}/participants',
      ]),
    );
    expect(doc.body.paths['/activities/{id}/register'].post.requestBody).toBeDefined();
  });
});
