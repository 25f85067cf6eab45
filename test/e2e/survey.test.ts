/**
 * Members rate the union (会员评家) and suggestions (建言献策) end to end: a survey drafted,
 * published, answered once per member within its window, stored without the member, read only in
 * aggregate per branch after it closes (a branch under five answers shows no breakdown, and is in
 * no figure a subtraction could recover it from); suggestions posted by members and turned into a
 * delegate's proposal draft through the proposals context, once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { surveyResultsCommand } from '../../infra/cli/commands/letters.ts';
import { api, hiredEvent, mailsTo, publish, queryPartition, token, uniqueId, waitIdle } from './support.ts';

const shanghaiDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

let chair: string;
let admin: string;
let big: { branch: string; ids: string[]; tokens: string[] };
let small: { branch: string; ids: string[]; tokens: string[] };
let officerBig: string;
let outsider: string;

const QUESTIONS = [
  { kind: 'rating', prompt: '您对工会工作的总体满意度' },
  { kind: 'choice', prompt: '您最希望工会加强哪方面工作', options: ['文体活动', '困难帮扶', '权益维护'] },
  { kind: 'text', prompt: '您的意见和建议', required: false },
];

const branchOf = async (label: string, size: number) => {
  const dept = uniqueId(`SV${label}D`);
  const branch = uniqueId(`SV${label}B`);
  const mapped = await api('PUT', `/departments/${dept}`, {
    token: admin,
    body: { departmentName: `${label}学院`, branch: { code: branch, name: `${label}分工会` } },
  });
  expect(mapped.status).toBe(200);
  const ids = Array.from({ length: size }, () => uniqueId(`SV${label}M`));
  await publish(ids.map((id) => hiredEvent(id, { department: { code: dept, name: `${label}学院` } })));
  return { branch, ids, tokens: [] as string[] };
};

beforeAll(async () => {
  chair = await token(uniqueId('SVC'), 'chair');
  admin = await token(uniqueId('SVA'), 'admin');
  big = await branchOf('A', 6);
  small = await branchOf('B', 2);
  await waitIdle();
  big.tokens = await Promise.all(big.ids.map((id) => token(id, 'member')));
  small.tokens = await Promise.all(small.ids.map((id) => token(id, 'member')));
  officerBig = await token(uniqueId('SVO'), 'officer', { branch: big.branch });
  outsider = await token(uniqueId('SVX'), 'member'); // a token, no member record
});

const draft = async (over: Record<string, unknown> = {}) => {
  const res = await api('POST', '/surveys', {
    token: chair,
    body: {
      title: `会员评家${uniqueId('')}`,
      questions: QUESTIONS,
      opensOn: shanghaiDay(),
      closesOn: shanghaiDay(7),
      ...over,
    },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; questions: Array<{ id: string }> };
};
const publishIt = async (id: string) =>
  expect((await api('POST', `/surveys/${id}/publish`, { token: admin, body: {} })).status).toBe(200);
const answer = (id: string, who: string, answers: unknown[]) =>
  api('POST', `/surveys/${id}/answers`, { token: who, body: { answers } });

describe('the survey (会员评家)', () => {
  it('is drafted by the chair or an admin with valid questions and window', async () => {
    expect((await api('POST', '/surveys', { token: officerBig, body: {} })).status).toBe(403);
    const backwards = await api('POST', '/surveys', {
      token: chair,
      body: { title: 't', questions: QUESTIONS, opensOn: shanghaiDay(3), closesOn: shanghaiDay(1) },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('closesOn');
    const badQuestions = async (questions: unknown[]) => {
      const res = await api('POST', '/surveys', {
        token: chair,
        body: { title: 't', questions, opensOn: shanghaiDay(), closesOn: shanghaiDay() },
      });
      expect(res.status).toBe(400);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await badQuestions([{ kind: 'choice', prompt: 'p', options: ['a'] }])).toEqual([
      'questions.0.options',
    ]);
    expect(await badQuestions([{ kind: 'choice', prompt: 'p', options: ['a', 'a'] }])).toEqual([
      'questions.0.options',
    ]);
    expect(
      await badQuestions([
        { kind: 'rating', prompt: 'r' },
        { kind: 'rating', prompt: 'r', options: ['x', 'y'] },
      ]),
    ).toEqual(['questions.1.options']);
    const s = await draft();
    expect(s.questions.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
    // A draft exists for the chair and admins alone.
    expect((await api('GET', `/surveys/${s.id}`, { token: big.tokens[0] })).status).toBe(404);
    expect((await answer(s.id, big.tokens[0]!, [{ question: 'q1', rating: 5 }])).status).toBe(404);
    expect(
      ((await api('GET', '/surveys', { token: big.tokens[0] })).body.items as Array<{ id: string }>).some(
        (x) => x.id === s.id,
      ),
    ).toBe(false);
    await publishIt(s.id);
    expect((await api('POST', `/surveys/${s.id}/publish`, { token: chair, body: {} })).status).toBe(409);
    const seen = await api('GET', `/surveys/${s.id}`, { token: big.tokens[0] });
    expect(seen.body).toMatchObject({ state: 'published', window: 'open', answeredByMe: false });
  });

  it('takes one answer per member within the window, stored apart from who gave it, and reports it in aggregate per branch', async () => {
    const s = await draft();
    await publishIt(s.id);
    expect((await answer(s.id, outsider, [{ question: 'q1', rating: 5 }])).status).toBe(403);
    const bad = await answer(s.id, big.tokens[0]!, [
      { question: 'q1', rating: 6 },
      { question: 'q2', choice: '打麻将' },
    ]);
    expect(bad.status).toBe(400);
    const notAnOption = await answer(s.id, big.tokens[0]!, [
      { question: 'q1', rating: 4 },
      { question: 'q2', choice: '打麻将' },
    ]);
    expect(notAnOption.status).toBe(400);
    expect(notAnOption.body.errors[0].field).toBe('answers.1.choice');
    const missing = await answer(s.id, big.tokens[0]!, [{ question: 'q1', rating: 4 }]);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].message).toContain('q2 is required');

    const ratings = [5, 4, 4, 3, 5, 2];
    const choices = ['文体活动', '困难帮扶', '文体活动', '权益维护', '文体活动', '困难帮扶'];
    for (const [i, who] of big.tokens.entries()) {
      const res = await answer(s.id, who, [
        { question: 'q2', choice: choices[i] },
        { question: 'q1', rating: ratings[i] },
        ...(i < 2 ? [{ question: 'q3', text: i === 0 ? '希望多办亲子活动' : '食堂可以更好' }] : []),
      ]);
      expect(res.status).toBe(201);
      // Nothing of the stored answer comes back.
      expect(res.body).toEqual({ surveyId: s.id, answered: true });
    }
    for (const who of small.tokens)
      expect(
        (
          await answer(s.id, who, [
            { question: 'q1', rating: 1 },
            { question: 'q2', choice: '权益维护' },
          ])
        ).status,
      ).toBe(201);
    const again = await answer(s.id, big.tokens[0]!, [
      { question: 'q1', rating: 1 },
      { question: 'q2', choice: '权益维护' },
    ]);
    expect(again.status).toBe(409);
    expect((await api('GET', `/surveys/${s.id}`, { token: big.tokens[0] })).body.answeredByMe).toBe(true);

    // What is stored: answers without member or time, markers without answer or time.
    const items = await queryPartition(`SURVEY#${s.id}`);
    const answers = items.filter((i) => String(i.SK).startsWith('ANSWER#'));
    const markers = items.filter((i) => String(i.SK).startsWith('ANSWERED#'));
    expect(answers).toHaveLength(8);
    expect(markers).toHaveLength(8);
    const allIds = [...big.ids, ...small.ids];
    for (const a of answers) {
      expect(Object.keys(a).sort()).toEqual(['PK', 'SK', 'answers', 'branch', 'entity']);
      expect(String(a.SK)).toMatch(/^ANSWER#[^#]+#[0-9a-f]{32}$/);
      for (const id of allIds) expect(JSON.stringify(a)).not.toContain(id);
    }
    for (const m of markers) expect(Object.keys(m).sort()).toEqual(['PK', 'SK', 'entity']);

    // Results: only once closed, only to the chair, admins and (their branch) officers.
    expect((await api('GET', `/surveys/${s.id}/results`, { token: chair })).status).toBe(409);
    expect((await api('POST', `/surveys/${s.id}/close`, { token: officerBig, body: {} })).status).toBe(403);
    expect((await api('POST', `/surveys/${s.id}/close`, { token: chair, body: {} })).status).toBe(200);
    expect(
      (
        await answer(s.id, small.tokens[0]!, [
          { question: 'q1', rating: 5 },
          { question: 'q2', choice: '文体活动' },
        ])
      ).status,
    ).toBe(409);
    expect((await api('GET', `/surveys/${s.id}/results`, { token: big.tokens[0] })).status).toBe(403);

    const results = await api('GET', `/surveys/${s.id}/results`, { token: chair });
    expect(results.status).toBe(200);
    const r = results.body;
    expect(r).toMatchObject({ total: 8, minimumForBreakdown: 5, unreported: 2, smallBranchesPooled: null });
    const bigResult = r.branches.find((b: { branch: string }) => b.branch === big.branch);
    expect(bigResult).toMatchObject({ answers: 6, suppressed: false });
    expect(bigResult.questions[0]).toEqual({
      question: 'q1',
      kind: 'rating',
      prompt: QUESTIONS[0]!.prompt,
      answered: 6,
      mean: 3.83,
      distribution: { '1': 0, '2': 1, '3': 1, '4': 2, '5': 2 },
    });
    expect(bigResult.questions[1].counts).toEqual({ 文体活动: 3, 困难帮扶: 2, 权益维护: 1 });
    expect(bigResult.questions[2]).toMatchObject({
      answered: 2,
      texts: ['希望多办亲子活动', '食堂可以更好'].sort(),
    });
    const smallResult = r.branches.find((b: { branch: string }) => b.branch === small.branch);
    expect(smallResult).toMatchObject({ answers: 2, suppressed: true });
    expect(smallResult.note).toContain('少于 5 份');
    expect(smallResult.questions).toBeUndefined();
    // The overall figures leave the small branch out, so no subtraction recovers its answers.
    expect(r.overall.answers).toBe(6);
    expect(r.overall.questions[0].distribution['1']).toBe(0);
    expect(r.note).toContain('Fewer than 5');

    // `gonghui survey results --id` reads the same figures.
    expect(await surveyResultsCommand({ id: s.id })).toEqual(r);
    const officer = await api('GET', `/surveys/${s.id}/results`, { token: officerBig });
    expect(officer.status).toBe(200);
    expect(officer.body.branches).toHaveLength(1);
    expect(officer.body.branches[0]).toMatchObject({ branch: big.branch, suppressed: false });
    expect(officer.body.overall).toBeUndefined();
    expect(
      (await api('GET', `/surveys/${s.id}/results?branch=${small.branch}`, { token: officerBig })).status,
    ).toBe(403);
    const one = await api('GET', `/surveys/${s.id}/results?branch=${small.branch}`, { token: admin });
    expect(one.body.branches).toEqual([expect.objectContaining({ branch: small.branch, suppressed: true })]);
  });

  it('keeps one answer of a member who sends five at once', async () => {
    const s = await draft();
    await publishIt(s.id);
    const who = big.tokens[4]!;
    const statuses = await Promise.all(
      [1, 2, 3, 4, 5].map((r) =>
        answer(s.id, who, [
          { question: 'q1', rating: r },
          { question: 'q2', choice: '文体活动' },
        ]).then((res) => res.status),
      ),
    );
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(4);
    const items = await queryPartition(`SURVEY#${s.id}`);
    expect(items.filter((i) => String(i.SK).startsWith('ANSWER#'))).toHaveLength(1);
    expect(items.filter((i) => String(i.SK).startsWith('ANSWERED#'))).toHaveLength(1);
  });

  it('refuses answers before the window opens and after it closes', async () => {
    const later = await draft({ opensOn: shanghaiDay(2), closesOn: shanghaiDay(9) });
    await publishIt(later.id);
    const early = await answer(later.id, big.tokens[1]!, [
      { question: 'q1', rating: 3 },
      { question: 'q2', choice: '文体活动' },
    ]);
    expect(early.status).toBe(409);
    expect(early.body.window).toBe('not_open');
    const past = await draft({ opensOn: shanghaiDay(-9), closesOn: shanghaiDay(-2) });
    await publishIt(past.id);
    const late = await answer(past.id, big.tokens[1]!, [
      { question: 'q1', rating: 3 },
      { question: 'q2', choice: '文体活动' },
    ]);
    expect(late.status).toBe(409);
    expect(late.body.window).toBe('closed');
    // Its closing date passed: the results can be read (no answers: nothing broken down).
    const results = await api('GET', `/surveys/${past.id}/results`, { token: chair });
    expect(results.body).toMatchObject({ total: 0, branches: [], overall: null });
  });
});

describe('suggestions (建言献策)', () => {
  it('are posted by members, read by officers and delegates, and turned once into a delegate’s proposal draft', async () => {
    const author = big.tokens[2]!;
    const title = `建议增设教职工健身房${uniqueId('')}`;
    expect((await api('POST', '/suggestions', { token: outsider, body: { title, text: 't' } })).status).toBe(
      403,
    );
    const bad = await api('POST', '/suggestions', { token: author, body: { title: '', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'text', 'title']);
    const posted = await api('POST', '/suggestions', {
      token: author,
      body: { title, text: '利用体育馆闲置场地，午间向教职工开放。' },
    });
    expect(posted.status).toBe(201);
    const id = posted.body.id as string;

    const delegate = await token(uniqueId('SVD'), 'delegate');
    const listed = async (who: string) =>
      ((await api('GET', '/suggestions?limit=200', { token: who })).body.items as Array<{ id: string }>).map(
        (x) => x.id,
      );
    expect(await listed(officerBig)).toContain(id);
    expect(await listed(delegate)).toContain(id);
    expect(await listed(author)).toContain(id);
    expect(await listed(big.tokens[3]!)).not.toContain(id);
    expect((await api('GET', `/suggestions/${id}`, { token: big.tokens[3] })).status).toBe(404);

    expect((await api('POST', `/suggestions/${id}/convert`, { token: officerBig, body: {} })).status).toBe(
      403,
    );
    const converted = await api('POST', `/suggestions/${id}/convert`, {
      token: delegate,
      body: { category: '后勤保障' },
    });
    expect(converted.status).toBe(201);
    const proposal = converted.body.proposal;
    expect(proposal).toMatchObject({ state: 'draft', title, category: '后勤保障', version: 1 });
    expect(converted.body.suggestion.proposalId).toBe(proposal.id);
    // A draft of the delegate's own, in the proposals context.
    const asDelegate = await api('GET', `/proposals/${proposal.id}`, { token: delegate });
    expect(asDelegate.body).toMatchObject({
      state: 'draft',
      content: '利用体育馆闲置场地，午间向教职工开放。',
    });
    expect(
      (await api('GET', `/proposals/${proposal.id}`, { token: await token(uniqueId('SVE'), 'delegate') }))
        .status,
    ).toBe(404);
    expect(
      (await api('POST', `/proposals/${proposal.id}/submit`, { token: delegate, body: {} })).body.state,
    ).toBe('submitted');

    const twice = await api('POST', `/suggestions/${id}/convert`, {
      token: await token(uniqueId('SVF'), 'delegate'),
      body: {},
    });
    expect(twice.status).toBe(409);
    expect(twice.body.proposalId).toBe(proposal.id);
    expect((await api('GET', `/suggestions/${id}`, { token: author })).body.proposalId).toBe(proposal.id);
    // Its author is told, once.
    await waitIdle();
    const mails = (await mailsTo(`${big.ids[2]!.toLowerCase()}@example.edu.cn`)).filter((m) =>
      m.subject.includes(title),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('已被代表采纳为提案');
    expect(mails[0]!.subject).toContain('is taken up as a proposal');
    expect(mails[0]!.text).toContain(proposal.id);
  });

  it('makes one draft when three delegates convert the same suggestion at once', async () => {
    const posted = await api('POST', '/suggestions', {
      token: big.tokens[5]!,
      body: { title: `并发转提案${uniqueId('')}`, text: '内容' },
    });
    const subs = [1, 2, 3].map(() => uniqueId('SVG'));
    const delegates = await Promise.all(subs.map((sub) => token(sub, 'delegate')));
    const results = await Promise.all(
      delegates.map((d) => api('POST', `/suggestions/${posted.body.id}/convert`, { token: d, body: {} })),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(2);
    const proposalId = won[0]!.body.proposal.id as string;
    expect(
      (await api('GET', `/suggestions/${posted.body.id}`, { token: big.tokens[5] })).body.proposalId,
    ).toBe(proposalId);
    // Each delegate's own proposals, drafts included: only the winner has one.
    const drafts = await Promise.all(
      subs.map(
        async (sub, i) =>
          (await api('GET', `/proposals?author=${sub}&limit=10`, { token: delegates[i] })).body.items
            .length as number,
      ),
    );
    expect(drafts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('lists the survey and suggestion routes in /openapi.json', async () => {
    const paths = Object.keys((await api('GET', '/openapi.json')).body.paths);
    for (const p of [
      '/surveys',
      '/surveys/{id}/answers',
      '/surveys/{id}/results',
      '/suggestions',
      '/suggestions/{id}/convert',
    ])
      expect(paths).toContain(p);
  });
});
