/**
 * Mutual medical aid (职工医疗互助) end to end: the chair opens a year's window with the fee in
 * yuan, members opt in or out inside it (and change their mind), the insurer's CSV, the mails,
 * and the reminders to members who have not decided (once per member and reminder day).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { mutualAidEnrolled } from '../../infra/cli/commands/union-life.ts';
import { choiceResponse, windowResponse } from '../../shared/http/mutual-aid-schemas.ts';
import { api, hiredEvent, mailsTo, publish, runtime, token, uniqueId, waitIdle } from './support.ts';

const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const emailOf = (id: string) => `${id.toLowerCase()}@example.edu.cn`;
/** Years of its own: the access matrix uses 2033, bad input 2032 (one runtime for every file). */
const YEAR = 2061;

let chair: string;
let admin: string;
let officer: string;
let branch: string;
let ids: { a: string; b: string; c: string; d: string };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  chair = await token(uniqueId('MACH'), 'chair');
  admin = await token(uniqueId('MAAD'), 'admin');
  const dept = uniqueId('MAD');
  branch = uniqueId('MAB');
  officer = await token(uniqueId('MAOF'), 'officer', { branch });
  expect(
    (
      await api('PUT', `/departments/${dept}`, {
        token: chair,
        body: { departmentName: '互助学院', branch: { code: branch, name: '互助分工会' } },
      })
    ).status,
  ).toBe(200);
  ids = { a: uniqueId('MAA'), b: uniqueId('MAB'), c: uniqueId('MAC'), d: uniqueId('MADD') };
  await publish(
    Object.values(ids).map((id) => hiredEvent(id, { department: { code: dept, name: '互助学院' } })),
  );
  for (const [k, id] of Object.entries(ids)) tokens[k] = await token(id, 'member');
  await waitIdle();
});

const choose = (who: string, enrol: boolean, year = YEAR) =>
  api('POST', `/mutual-aid/${year}/choice`, { token: tokens[who]!, body: { enrol } });

describe('mutual medical aid', () => {
  it('opens a window with the fee in yuan (kept in fen), for the chair and admins only', async () => {
    const body = { opensOn: day(0), closesOn: day(7), feeYuan: '30.5' };
    expect((await api('PUT', `/mutual-aid/${YEAR}`, { token: tokens.a, body })).status).toBe(403);
    expect((await api('PUT', `/mutual-aid/${YEAR}`, { token: officer, body })).status).toBe(403);
    const bad = await api('PUT', `/mutual-aid/${YEAR}`, {
      token: chair,
      body: { opensOn: day(3), closesOn: day(1), feeYuan: '0' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['closesOn', 'feeYuan']);
    expect(
      (await api('PUT', `/mutual-aid/${YEAR}`, { token: chair, body: { ...body, feeYuan: '1.234' } })).status,
    ).toBe(400);
    expect((await api('PUT', '/mutual-aid/20x1', { token: chair, body })).status).toBe(400);
    const put = await api('PUT', `/mutual-aid/${YEAR}`, { token: chair, body });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      year: YEAR,
      feeYuan: '30.50',
      reminderDaysBefore: [7, 1],
      state: 'open',
    });
    const got = await api('GET', `/mutual-aid/${YEAR}`, { token: tokens.a });
    expect(windowResponse.parse(got.body)).toMatchObject({ feeYuan: '30.50', mine: null });
    expect((await api('GET', '/mutual-aid/2060', { token: tokens.a })).status).toBe(404);
  });

  it('lets members opt in or out inside the window, change their mind, and lists the enrolled for the insurer', async () => {
    expect((await choose('a', true)).body).toMatchObject({ enrol: true, changes: 1 });
    expect((await choose('b', true)).status).toBe(200);
    expect(choiceResponse.parse((await choose('b', false)).body)).toMatchObject({ enrol: false, changes: 2 });
    expect((await choose('c', false)).status).toBe(200);
    expect((await choose('c', true)).status).toBe(200);
    expect((await api('GET', `/mutual-aid/${YEAR}`, { token: tokens.b })).body.mine).toMatchObject({
      enrol: false,
    });
    // Someone who is not a member: 403; a body that is not a choice: 400.
    const stranger = await token(uniqueId('MANM'), 'member');
    expect(
      (await api('POST', `/mutual-aid/${YEAR}/choice`, { token: stranger, body: { enrol: true } })).status,
    ).toBe(403);
    const bad = await api('POST', `/mutual-aid/${YEAR}/choice`, { token: tokens.a, body: { enrol: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('enrol');

    const csvFor = (who: string) =>
      fetch(`${runtime().apiUrl}/mutual-aid/${YEAR}/enrolled.csv`, {
        headers: { authorization: `Bearer ${who}` },
      });
    expect((await csvFor(officer)).status).toBe(403);
    expect((await csvFor(tokens.a!)).status).toBe(403);
    const res = await csvFor(admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(await res.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    const ours = rows.filter((r) => Object.values(ids).includes(r.工号!));
    expect(ours).toEqual(
      [ids.a, ids.c]
        .sort()
        .map((id) => ({ 姓名: '黄丽萍', 工号: id, 分工会: '互助分工会', '费用（元）': '30.50' })),
    );

    // The union office's command gives the same list.
    const cli = await mutualAidEnrolled({ year: String(YEAR) });
    expect(
      cli.filter((r) => Object.values(ids).includes(r.employeeId)).map((r) => [r.employeeId, r.feeYuan]),
    ).toEqual([ids.a, ids.c].sort().map((id) => [id, '30.50']));

    await waitIdle();
    const subjects = async (id: string) =>
      (await mailsTo(emailOf(id)))
        .map((m) => m.subject.split(' | ')[0])
        .filter((s) => s?.includes('医疗互助'));
    expect(await subjects(ids.a)).toEqual([`已参加 ${YEAR} 年度职工医疗互助`]);
    expect((await subjects(ids.b)).sort()).toEqual(
      [`不参加 ${YEAR} 年度职工医疗互助`, `已参加 ${YEAR} 年度职工医疗互助`].sort(),
    );
  });

  it('refuses choices outside the window (409) and changes to a closed window', async () => {
    const early = { opensOn: day(2), closesOn: day(9), feeYuan: '20' };
    expect((await api('PUT', `/mutual-aid/${YEAR + 1}`, { token: admin, body: early })).status).toBe(200);
    const notYet = await choose('a', true, YEAR + 1);
    expect(notYet.status).toBe(409);
    expect(notYet.body.opensOn).toBe(day(2));
    const closed = { opensOn: day(-9), closesOn: day(-1), feeYuan: '20' };
    expect((await api('PUT', `/mutual-aid/${YEAR + 2}`, { token: admin, body: closed })).status).toBe(200);
    expect((await choose('a', true, YEAR + 2)).status).toBe(409);
    expect((await api('PUT', `/mutual-aid/${YEAR + 2}`, { token: admin, body: early })).status).toBe(409);
  });

  it('reminds every member who has not decided on the reminder days, once per member and day', async () => {
    const fire = (date: string) =>
      fetch(`${runtime().controlUrl}/schedules/UnionLifeRemindersDaily/fire`, {
        method: 'POST',
        body: JSON.stringify({ at: `${date}T00:00:00Z` }),
      });
    // 7 days before the close (today) twice, a day that is not a reminder day, then 1 day before.
    expect((await fire(day(0))).status).toBe(200);
    expect((await fire(day(0))).status).toBe(200);
    expect((await fire(day(3))).status).toBe(200);
    await waitIdle(180_000);
    const reminders = async (id: string) =>
      (await mailsTo(emailOf(id))).filter((m) => m.subject.startsWith(`请在 ${day(7)} 前选择`));
    expect(await reminders(ids.d)).toHaveLength(1);
    for (const decided of [ids.a, ids.b, ids.c]) expect(await reminders(decided)).toHaveLength(0);
    // 1 day before the close: d, still undecided, gets the second one.
    expect((await fire(day(6))).status).toBe(200);
    await waitIdle(180_000);
    expect(await reminders(ids.d)).toHaveLength(2);
    expect((await reminders(ids.d))[0]!.text).toContain('30.50');
  });

  it('documents its routes in /openapi.json', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(doc.body.paths['/mutual-aid/{year}']).toMatchObject({
      put: expect.anything(),
      get: expect.anything(),
    });
    expect(doc.body.paths['/mutual-aid/{year}/choice'].post.requestBody).toBeDefined();
    expect(doc.body.paths['/mutual-aid/{year}/enrolled.csv'].get).toBeDefined();
  });
});
