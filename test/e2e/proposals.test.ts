/**
 * Proposals end to end through the embedded runtime: the whole state machine over HTTP, access,
 * validation, conflicts, paging under inserts, the CSV export, the report and the reminders.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, hiredEvent, mailsTo, publish, runtime, token, uniqueId, waitIdle } from './support.ts';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let a: string; // delegate, the proposer
let b: string; // delegate
let c: string; // delegate
let committee: string;
let chair: string;
let dept: string;
let deptToken: string;
let ids: { a: string; b: string; c: string };

beforeAll(async () => {
  ids = { a: uniqueId('PA'), b: uniqueId('PB'), c: uniqueId('PC') };
  await publish([hiredEvent(ids.a), hiredEvent(ids.b), hiredEvent(ids.c)]);
  a = await token(ids.a, 'delegate');
  b = await token(ids.b, 'delegate');
  c = await token(ids.c, 'delegate');
  committee = await token('committee-1', 'committee');
  chair = await token('chair-1', 'chair');
  dept = uniqueId('LOG');
  deptToken = await token('log-1', 'department', { department: dept });
  const mapped = await api('PUT', `/departments/${dept}`, {
    token: chair,
    body: {
      departmentName: '后勤处',
      branch: { code: 'B-LOG', name: '后勤分工会' },
      contactEmail: `${dept.toLowerCase()}@example.edu.cn`,
    },
  });
  expect(mapped.status).toBe(200);
  await waitIdle();
});

const create = async (session: string, who = a) => {
  const res = await api('POST', '/proposals', {
    token: who,
    body: { title: '延长食堂供餐时间', content: '建议晚餐延长到20:00。', session },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
};

const act = (id: string, action: string, who: string, body: unknown = {}, ifMatch?: string) =>
  api('POST', `/proposals/${id}/${action}`, {
    token: who,
    body,
    ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
  });

const toReview = async (session: string) => {
  const p = await create(session);
  expect((await act(p.id, 'submit', a)).status).toBe(200);
  expect((await act(p.id, 'second', b)).status).toBe(200);
  const reviewed = await act(p.id, 'second', c);
  expect(reviewed.body.state).toBe('under_review');
  return p.id;
};

describe('proposals', () => {
  it('goes from filing to the rating, with a number, a history and the mails', async () => {
    const session = uniqueId('S');
    const created = await create(session);
    const got = await api('GET', `/proposals/${created.id}`, { token: a });
    expect(got.headers.get('etag')).toBe('"v1"');
    expect((await api('GET', `/proposals/${created.id}`, { token: b })).status).toBe(404);

    expect((await act(created.id, 'submit', a, {}, '"v1"')).body.state).toBe('submitted');
    await act(created.id, 'second', b);
    expect((await act(created.id, 'second', c)).body.state).toBe('under_review');
    const registered = await act(created.id, 'review', committee, { decision: 'register' });
    expect(registered.body).toMatchObject({ state: 'registered', number: `${session}-001` });
    const assigned = await act(created.id, 'assign', committee, {
      department: dept,
      supportingDepartments: ['FIN'],
      dueDate: future(30),
    });
    expect(assigned.body.state).toBe('assigned');
    expect(
      (
        await act(created.id, 'answer', deptToken, {
          content: '已与餐饮中心协商，自12月起延长至20:00。',
          cost: '约2万元/年',
        })
      ).body.state,
    ).toBe('answered');
    const closed = await act(created.id, 'feedback', a, { rating: 'satisfied', comment: '感谢' });
    expect(closed.body).toMatchObject({ state: 'closed', version: 8 });

    const history = await api('GET', `/proposals/${created.id}/history`, { token: chair });
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'submit',
      'second',
      'second',
      'review',
      'assign',
      'answer',
      'feedback',
    ]);

    await waitIdle();
    const toA = (await mailsTo(`${ids.a.toLowerCase()}@example.edu.cn`)).filter((m) =>
      m.subject.includes('延长食堂供餐时间'),
    );
    // submitted, under review, registered, assigned, answered, closed
    expect(toA).toHaveLength(6);
    expect(
      (await mailsTo(`${ids.b.toLowerCase()}@example.edu.cn`)).filter((m) =>
        m.subject.includes(`${session}-001`),
      ).length,
    ).toBeGreaterThanOrEqual(4);
    expect(await mailsTo(`${dept.toLowerCase()}@example.edu.cn`)).toHaveLength(1);
  });

  it('answers 409 with the state for a transition not allowed, 412 for a stale If-Match', async () => {
    const id = await toReview(uniqueId('S'));
    const again = await act(id, 'submit', a);
    expect(again.status).toBe(409);
    expect(again.body.state).toBe('under_review');
    const stale = await act(id, 'review', committee, { decision: 'convert' }, '"v2"');
    expect(stale.status).toBe(412);
    expect((await act(id, 'review', committee, { decision: 'reject' })).status).toBe(400);
    expect((await act(id, 'second', b)).status).toBe(409);
  });

  it('lets the author edit a draft with If-Match, and nothing else once submitted', async () => {
    const p = await create(uniqueId('S'));
    const edit = (body: unknown, who = a, ifMatch?: string) =>
      api('PATCH', `/proposals/${p.id}`, {
        token: who,
        body,
        ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
      });
    const edited = await edit({ title: '延长食堂晚餐供应时间', category: '后勤' }, a, '"v1"');
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe('"v2"');
    expect(edited.body).toMatchObject({ title: '延长食堂晚餐供应时间', category: '后勤', state: 'draft' });
    expect(edited.body.content).toBe('建议晚餐延长到20:00。');
    expect((await edit({ content: '旧的' }, a, '"v1"')).status).toBe(412);
    const invalid = await edit({ title: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].field).toBe('title');
    expect((await edit({ title: '别人的' }, b)).status).toBe(404);
    await act(p.id, 'submit', a);
    const late = await edit({ title: '提交后' });
    expect(late.status).toBe(409);
    expect(late.body.state).toBe('submitted');
    expect((await edit({ title: '别人的' }, b)).status).toBe(403);
    const history = await api('GET', `/proposals/${p.id}/history`, { token: a });
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['create', 'edit', 'submit']);
  });

  it('checks roles on every action and validates bodies with the failing fields', async () => {
    const id = await toReview(uniqueId('S'));
    expect((await api('POST', '/proposals', { body: { title: 't', content: 'c' } })).status).toBe(401);
    expect(
      (await api('POST', '/proposals', { token: committee, body: { title: 't', content: 'c' } })).status,
    ).toBe(403);
    expect((await act(id, 'review', a, { decision: 'register' })).status).toBe(403);
    expect((await act(id, 'review', chair, { decision: 'register' })).status).toBe(403);
    expect((await act(id, 'withdraw', b, { reason: 'x' })).status).toBe(403);
    expect((await api('GET', '/reports/proposals?session=x', { token: a })).status).toBe(403);
    const bad = await api('POST', '/proposals', { token: a, body: { title: '', content: 5, extra: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'content',
      'extra',
      'title',
    ]);
    expect(
      (await api('POST', '/proposals', { token: a, body: { title: 't', content: 'x'.repeat(70_000) } }))
        .status,
    ).toBe(413);
    expect((await api('POST', `/proposals/${id}/fly`, { token: a, body: {} })).status).toBe(404);
    expect(
      (await act(id, 'review', committee, { decision: 'register', mergeInto: 'x', extra: 1 })).status,
    ).toBe(400);
  });

  it('pages without skipping or repeating while proposals are being added', async () => {
    const session = uniqueId('S');
    const existing: string[] = [];
    for (let i = 0; i < 12; i++) {
      const p = await create(session);
      await act(p.id, 'submit', a);
      existing.push(p.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(
        'GET',
        `/proposals?session=${session}&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
        { token: chair },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: { id: string }) => p.id));
      cursor = page.body.cursor;
      // Someone files and submits another one meanwhile.
      const extra = await create(session, b);
      await act(extra.id, 'submit', b);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of existing) expect(seen).toContain(id);
  });

  it('exports a session as CSV and reports figures that match a known set', async () => {
    const session = uniqueId('S');
    const register = async () => {
      const id = await toReview(session);
      await act(id, 'review', committee, { decision: 'register' });
      return id;
    };
    const closedSatisfied = await register();
    await act(closedSatisfied, 'assign', committee, { department: dept, dueDate: future(10) });
    await act(closedSatisfied, 'answer', deptToken, { content: '好' });
    await act(closedSatisfied, 'feedback', a, { rating: 'satisfied' });
    const closedDissatisfied = await register();
    await act(closedDissatisfied, 'assign', chair, { department: dept, dueDate: future(10) });
    await act(closedDissatisfied, 'answer', deptToken, { content: '研究' });
    await act(closedDissatisfied, 'feedback', a, { rating: 'dissatisfied' });
    expect((await api('GET', `/proposals/${closedDissatisfied}`, { token: a })).body.state).toBe('assigned');
    await act(closedDissatisfied, 'answer', deptToken, { content: '仍在研究' });
    await act(closedDissatisfied, 'feedback', a, { rating: 'dissatisfied' });
    const rejected = await toReview(session);
    await act(rejected, 'review', committee, { decision: 'reject', reason: '不属于提案范围' });
    const withdrawn = (await create(session)).id;
    await act(withdrawn, 'submit', a);
    await act(withdrawn, 'withdraw', a, { reason: '另行反映' });
    await create(session); // a draft: not in reports

    const report = await api('GET', `/reports/proposals?session=${session}`, { token: committee });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      total: 4,
      byState: { closed: 2, not_registered: 1, withdrawn: 1, assigned: 0 },
      answered: 2,
      answeredOnTime: 2,
      satisfaction: { rated: 2, satisfied: 1, dissatisfied: 1, satisfiedShare: 0.5 },
    });

    const csv = await fetch(`${runtime().apiUrl}/proposals/export.csv?session=${session}`, {
      headers: { authorization: `Bearer ${chair}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(await csv.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.id === rejected)).toMatchObject({
      state: 'not_registered',
      title: '延长食堂供餐时间',
    });
    expect(
      rows
        .filter((r) => r.number)
        .map((r) => r.number)
        .sort(),
    ).toEqual([`${session}-001`, `${session}-002`]);
  });

  it('reminds the department once a day of proposals due within three days', async () => {
    const session = uniqueId('S');
    const id = await toReview(session);
    await act(id, 'review', committee, { decision: 'register' });
    await act(id, 'assign', committee, { department: dept, dueDate: future(2) });
    await waitIdle();
    const before = (await mailsTo(`${dept.toLowerCase()}@example.edu.cn`)).length;
    const fire = () =>
      fetch(`${runtime().controlUrl}/schedules/ProposalRemindersDaily/fire`, { method: 'POST' });
    expect((await fire()).status).toBeLessThan(300);
    expect((await fire()).status).toBeLessThan(300);
    await waitIdle();
    const reminders = (await mailsTo(`${dept.toLowerCase()}@example.edu.cn`))
      .slice(before)
      .filter((m) => m.subject.includes('即将到期'));
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    const forThis = reminders.filter((m) => m.text?.includes(`${session}-001`));
    expect(forThis).toHaveLength(1);
  });
});
