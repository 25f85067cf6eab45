/**
 * The chair's mailbox (主席信箱) end to end through the embedded runtime: writing, who sees what
 * (chair-only letters hidden from the chair's delegates), handing on, every answer mailed to the
 * writer, closing, the daily reminder once per letter and day, and the yearly report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lettersReport } from '../../infra/cli/commands/letters.ts';
import { api, hiredEvent, mailsTo, publish, runtime, token, uniqueId, waitIdle } from './support.ts';

let ids: { writer: string; other: string; chair: string; deputy: string; deputy2: string };
let writer: string;
let other: string;
let chair: string;
let deputy: string;
let deputy2: string;
let admin: string;
let outsider: string;
const emailOf = (id: string) => `${id.toLowerCase()}@example.edu.cn`;

beforeAll(async () => {
  ids = {
    writer: uniqueId('LW'),
    other: uniqueId('LO'),
    chair: uniqueId('LC'),
    deputy: uniqueId('LD'),
    deputy2: uniqueId('LE'),
  };
  await publish(Object.values(ids).map((id) => hiredEvent(id)));
  await waitIdle();
  writer = await token(ids.writer, 'member');
  other = await token(ids.other, 'member');
  chair = await token(ids.chair, 'chair');
  deputy = await token(ids.deputy, 'member');
  deputy2 = await token(ids.deputy2, 'member');
  admin = await token(uniqueId('LA'), 'admin');
  outsider = await token(uniqueId('LX'), 'delegate'); // a token, but no member record
  const settings = await api('PUT', '/letters/settings', {
    token: chair,
    body: { delegates: [ids.deputy, ids.deputy2], reminderDays: 7 },
  });
  expect(settings.status).toBe(200);
  expect(settings.body).toMatchObject({ chair: ids.chair, delegates: [ids.deputy, ids.deputy2] });
});

const write = async (body: Record<string, unknown>, who = writer) => {
  const res = await api('POST', '/letters', {
    token: who,
    body: { subject: '食堂晚餐时间', text: '希望延长到20:00。', category: '后勤保障', ...body },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; state: string; chairOnly: boolean };
};

describe("the chair's mailbox", () => {
  it('takes letters from members only, with the failing fields on a bad body', async () => {
    expect((await api('POST', '/letters', { body: {} })).status).toBe(401);
    const notMember = await api('POST', '/letters', {
      token: outsider,
      body: { subject: 's', text: 't', category: '其他' },
    });
    expect(notMember.status).toBe(403);
    const bad = await api('POST', '/letters', {
      token: writer,
      body: { subject: '', text: 5, category: '食堂', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'category',
      'extra',
      'subject',
      'text',
    ]);
  });

  it('shows a letter to its writer, the chair and the delegates; a chair-only one to the writer and the chair alone', async () => {
    const open = await write({ subject: `公开信${uniqueId('')}` });
    const secret = await write({ subject: `仅主席${uniqueId('')}`, chairOnly: true, category: '薪酬福利' });
    for (const [who, status] of [
      [writer, 200],
      [chair, 200],
      [deputy, 200],
      [other, 404],
      [admin, 404],
    ] as const)
      expect((await api('GET', `/letters/${open.id}`, { token: who })).status).toBe(status);
    for (const [who, status] of [
      [writer, 200],
      [chair, 200],
      [deputy, 404],
      [other, 404],
    ] as const)
      expect((await api('GET', `/letters/${secret.id}`, { token: who })).status).toBe(status);

    const listed = async (who: string, q = '') =>
      ((await api('GET', `/letters?limit=200${q}`, { token: who })).body.items as Array<{ id: string }>).map(
        (l) => l.id,
      );
    expect(await listed(chair)).toEqual(expect.arrayContaining([open.id, secret.id]));
    // The list says which reader the caller is (delegates are named by 工号, not by a role).
    const readerOf = async (who: string) =>
      (await api('GET', '/letters?limit=1', { token: who })).body.reader as string;
    expect([await readerOf(chair), await readerOf(deputy), await readerOf(writer)]).toEqual([
      'chair',
      'delegate',
      'writer',
    ]);
    const byDeputy = await listed(deputy);
    expect(byDeputy).toContain(open.id);
    expect(byDeputy).not.toContain(secret.id);
    expect(await listed(writer)).toEqual(expect.arrayContaining([open.id, secret.id]));
    const byOther = await listed(other);
    expect(byOther).not.toContain(open.id);
    expect(byOther).not.toContain(secret.id);
    expect(
      await listed(chair, '&category=薪酬福利'.replace('薪酬福利', encodeURIComponent('薪酬福利'))),
    ).toContain(secret.id);
    expect(await listed(chair, `&category=${encodeURIComponent('教学科研')}`)).not.toContain(secret.id);
    expect((await api('GET', '/letters?state=done', { token: chair })).status).toBe(400);
    expect((await api('GET', '/letters?cursor=eyJ4IjoxfQ', { token: chair })).status).toBe(400);
  });

  it('is handed to a delegate of the chair (not a chair-only one), answered many times, every answer mailed', async () => {
    const subject = `宿舍维修${uniqueId('')}`;
    const letter = await write({ subject });
    const secret = await write({ subject: `${subject}密`, chairOnly: true });
    expect(
      (await api('POST', `/letters/${letter.id}/delegate`, { token: deputy, body: { to: ids.deputy } }))
        .status,
    ).toBe(403);
    const notDelegate = await api('POST', `/letters/${letter.id}/delegate`, {
      token: chair,
      body: { to: ids.other },
    });
    expect(notDelegate.status).toBe(400);
    expect(notDelegate.body.errors[0].field).toBe('to');
    expect(
      (await api('POST', `/letters/${secret.id}/delegate`, { token: chair, body: { to: ids.deputy } }))
        .status,
    ).toBe(409);
    const handed = await api('POST', `/letters/${letter.id}/delegate`, {
      token: chair,
      body: { to: ids.deputy },
    });
    expect(handed.status).toBe(200);
    expect(handed.body.delegatedTo).toBe(ids.deputy);

    // The other delegate sees it but may not answer; the writer neither.
    expect(
      (await api('POST', `/letters/${letter.id}/answer`, { token: deputy2, body: { text: '我来答' } }))
        .status,
    ).toBe(403);
    expect(
      (await api('POST', `/letters/${letter.id}/answer`, { token: writer, body: { text: '自答' } })).status,
    ).toBe(403);
    expect(
      (await api('POST', `/letters/${letter.id}/answer`, { token: other, body: { text: '?' } })).status,
    ).toBe(404);
    const first = await api('POST', `/letters/${letter.id}/answer`, {
      token: deputy,
      body: { text: '已报后勤处，本周内维修。' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'answered', answerCount: 1 });
    const second = await api('POST', `/letters/${letter.id}/answer`, {
      token: chair,
      body: { text: '维修已完成，请您确认。' },
    });
    expect(second.body).toMatchObject({ answerCount: 2 });
    const got = await api('GET', `/letters/${letter.id}`, { token: writer });
    expect(got.body.answers.map((a: { text: string; by: string }) => [a.by, a.text])).toEqual([
      [ids.deputy, '已报后勤处，本周内维修。'],
      [ids.chair, '维修已完成，请您确认。'],
    ]);
    const assigned = await api('GET', '/letters?assignedToMe=true&limit=200', { token: deputy });
    expect(assigned.body.items.map((l: { id: string }) => l.id)).toContain(letter.id);

    expect((await api('POST', `/letters/${letter.id}/close`, { token: other })).status).toBe(404);
    expect((await api('POST', `/letters/${letter.id}/close`, { token: deputy2 })).status).toBe(403);
    const closed = await api('POST', `/letters/${letter.id}/close`, {
      token: writer,
      body: { note: '已解决' },
    });
    expect(closed.body).toMatchObject({ state: 'closed', closedBy: ids.writer, closingNote: '已解决' });
    expect((await api('POST', `/letters/${letter.id}/close`, { token: chair })).status).toBe(409);
    expect(
      (await api('POST', `/letters/${letter.id}/answer`, { token: chair, body: { text: '再答' } })).status,
    ).toBe(409);

    await waitIdle();
    const toWriter = (await mailsTo(emailOf(ids.writer))).filter((m) => m.subject.includes(subject));
    expect(toWriter).toHaveLength(2);
    expect(toWriter.every((m) => m.subject.includes('有了答复') && m.subject.includes('has an answer'))).toBe(
      true,
    );
    expect(toWriter.map((m) => m.text).join('\n')).toContain('已报后勤处，本周内维修。');
    expect(toWriter.map((m) => m.text).join('\n')).toContain('维修已完成，请您确认。');
    const toDeputy = (await mailsTo(emailOf(ids.deputy))).filter((m) => m.subject.includes(subject));
    expect(toDeputy).toHaveLength(1);
    expect(toDeputy[0]!.subject).toContain('请答复');
  });

  it('keeps every answer when three come at once, and mails each', async () => {
    const subject = `同时答复${uniqueId('')}`;
    const letter = await write({ subject });
    await api('POST', `/letters/${letter.id}/delegate`, { token: chair, body: { to: ids.deputy } });
    const sent = ['答复一', '答复二', '答复三'];
    const results = await Promise.all(
      sent.map((text, i) =>
        api('POST', `/letters/${letter.id}/answer`, { token: i === 1 ? deputy : chair, body: { text } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.answerCount).sort()).toEqual([1, 2, 3]);
    const got = await api('GET', `/letters/${letter.id}`, { token: writer });
    expect(got.body.answers.map((a: { seq: number }) => a.seq)).toEqual([1, 2, 3]);
    expect(got.body.answers.map((a: { text: string }) => a.text).sort()).toEqual([...sent].sort());
    await waitIdle();
    expect((await mailsTo(emailOf(ids.writer))).filter((m) => m.subject.includes(subject))).toHaveLength(3);
  });

  it('reminds the chair and the delegate once per letter and day after the set days', async () => {
    const subject = `久候${uniqueId('')}`;
    const waiting = await write({ subject });
    await api('POST', `/letters/${waiting.id}/delegate`, { token: chair, body: { to: ids.deputy2 } });
    const answered = await write({ subject: `${subject}已答` });
    await api('POST', `/letters/${answered.id}/answer`, { token: chair, body: { text: '已答复' } });
    const fire = (at: Date) =>
      fetch(`${runtime().controlUrl}/schedules/LetterRemindersDaily/fire`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ at: at.toISOString() }),
      });
    // Six days on: not yet. Eight days on, twice: one reminder each to the chair and the delegate.
    expect((await fire(new Date(Date.now() + 6 * 86_400_000))).status).toBeLessThan(300);
    expect((await fire(new Date(Date.now() + 8 * 86_400_000))).status).toBeLessThan(300);
    expect((await fire(new Date(Date.now() + 8 * 86_400_000))).status).toBeLessThan(300);
    await waitIdle();
    const reminders = async (id: string) =>
      (await mailsTo(emailOf(id))).filter(
        (m) => m.subject.includes(subject) && m.subject.includes('天未答复'),
      );
    const toChair = await reminders(ids.chair);
    expect(toChair).toHaveLength(1);
    expect(toChair[0]!.subject).toContain(`《${subject}》已 8 天未答复`);
    expect(toChair[0]!.text).toContain('has waited 8 days');
    expect(await reminders(ids.deputy2)).toHaveLength(1);
    // The next day: one more.
    expect((await fire(new Date(Date.now() + 9 * 86_400_000))).status).toBeLessThan(300);
    await waitIdle();
    expect(await reminders(ids.chair)).toHaveLength(2);
  });

  it('reports the year by category: count, answered, median and max days to the first answer', async () => {
    const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    const before = await api('GET', `/reports/letters?year=${year}`, { token: chair });
    expect(before.status).toBe(200);
    const teaching = (r: typeof before) =>
      r.body.categories.find((c: { category: string }) => c.category === '教学科研');
    const a = await write({ category: '教学科研' });
    await write({ category: '教学科研' });
    await api('POST', `/letters/${a.id}/answer`, { token: chair, body: { text: '答复' } });
    const after = await api('GET', `/reports/letters?year=${year}`, { token: admin });
    expect(teaching(after).count).toBe(teaching(before).count + 2);
    expect(teaching(after).answered).toBe(teaching(before).answered + 1);
    expect(teaching(after).maxDaysToFirstAnswer).toBeGreaterThanOrEqual(0);
    expect(after.body.total.count).toBe(before.body.total.count + 2);
    expect(after.body.categories.map((c: { category: string }) => c.category)).toEqual([
      '教学科研',
      '后勤保障',
      '薪酬福利',
      '工会工作',
      '其他',
    ]);
    // `gonghui letters report --year` reads the same figures.
    expect(await lettersReport({ year: String(year) })).toEqual(after.body);
    await expect(lettersReport({ year: 'x' })).rejects.toThrow('--year');
    expect((await api('GET', `/reports/letters?year=${year}`, { token: deputy })).status).toBe(403);
    expect((await api('GET', '/reports/letters?year=abc', { token: chair })).status).toBe(400);
  });

  it('lists its routes in /openapi.json', async () => {
    const doc = await api('GET', '/openapi.json');
    for (const path of ['/letters', '/letters/{id}', '/letters/{id}/answer', '/reports/letters'])
      expect(Object.keys(doc.body.paths)).toContain(path);
  });
});
