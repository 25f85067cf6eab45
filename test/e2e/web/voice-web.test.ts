/**
 * The members' voice in the browser, each person in their own context signed in through
 * /dev/sign-in: a member answers a survey once and the second try is refused on the page; the
 * chair drafts a survey with the question builder, publishes it, closes it early and reads the
 * results per branch (a branch under five answers without a breakdown, said on the page); a
 * member writes to the chair, the chair hands the letter to a delegate named in the settings, the
 * delegate answers, the member reads the answer and closes it; a member posts a suggestion and a
 * delegate turns it into a proposal draft. axe and screenshots on every page (browser.ts).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, hiredEvent, publish, token, uniqueId, waitIdle } from '../support.ts';
import {
  baseUrl,
  checkPage,
  fieldError,
  launchBrowser,
  PHONE,
  screenshotsFor,
  signInAs,
  visit,
} from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);

const shanghaiDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Members of a new branch (a department mapped to it, then hired): their 工号 and tokens. */
const branchOf = async (label: string, size: number) => {
  const admin = await token(uniqueId('VWA'), 'admin');
  const dept = uniqueId(`VW${label}D`);
  const branch = uniqueId(`VW${label}B`);
  const mapped = await api('PUT', `/departments/${dept}`, {
    token: admin,
    body: { departmentName: `${label}学院`, branch: { code: branch, name: `${label}分工会` } },
  });
  expect(mapped.status).toBe(200);
  const ids = Array.from({ length: size }, () => uniqueId(`VW${label}M`));
  await publish(ids.map((id) => hiredEvent(id, { department: { code: dept, name: `${label}学院` } })));
  return { branch, ids };
};

let big: { branch: string; ids: string[] };
let small: { branch: string; ids: string[] };
/** Members with a record, for the journeys' people (one branch, hired once for the file). */
let people: { ids: string[] };

beforeAll(async () => {
  browser = await launchBrowser();
  big = await branchOf('A', 6);
  small = await branchOf('B', 2);
  people = await branchOf('P', 4);
  await waitIdle();
});
afterAll(async () => {
  await browser?.close();
});

const QUESTIONS = [
  { kind: 'rating', prompt: '您对工会工作的总体满意度' },
  { kind: 'choice', prompt: '您最希望工会加强哪方面工作', options: ['文体活动', '困难帮扶', '权益维护'] },
  { kind: 'text', prompt: '您的意见和建议', required: false },
];

const openSurvey = async (page: Page, id: string) => {
  await page.goto(`${baseUrl()}/surveys/${id}`);
  await page.getByTestId('survey-title').waitFor();
};
/** Picks an option of an Element Plus select by the select's label (its placeholder covers the input). */
const choose = async (page: Page, label: string, option: string) => {
  await page.getByRole('combobox', { name: label }).click({ force: true });
  await page.getByRole('option', { name: option, exact: true }).click();
};
const stageOf = async (page: Page) =>
  (await page.locator('[data-stage]').first().getAttribute('data-stage')) ?? '';

describe('the survey in the browser', () => {
  it('lets a member answer once, anonymously, and refuses the second try on the page', async () => {
    const chair = await token(uniqueId('VWC'), 'chair');
    const title = `会员评家 ${uniqueId('')}`;
    const created = await api('POST', '/surveys', {
      token: chair,
      body: { title, questions: QUESTIONS, opensOn: shanghaiDay(), closesOn: shanghaiDay(7) },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await api('POST', `/surveys/${id}/publish`, { token: chair, body: {} })).status).toBe(200);

    const member = people.ids[0]!;
    const page = await signInAs(browser, { sub: member, roles: ['member'] });
    await checkPage(page, 'home-member');
    await visit(page, '/surveys', 'surveys-member');
    await page.locator('[data-section=open]').getByRole('link', { name: title }).click();
    await page.getByTestId('survey-title').waitFor();
    // Said plainly before answering: what is stored and what is not.
    const note = await page.getByTestId('anonymity').textContent();
    expect(note).toContain('不保存您的工号、姓名或会员号');
    expect(note).toContain('您所在的分工会');
    await checkPage(page, 'survey-answer-form');
    // In English too, one click away.
    await page.getByRole('button', { name: '切换语言' }).click();
    await page.getByRole('heading', { name: 'Your answer is anonymous' }).waitFor();
    await checkPage(page, 'survey-answer-form-en');
    await page.getByRole('button', { name: 'Switch language' }).click();
    await page.getByRole('heading', { name: '匿名说明' }).waitFor();

    // The same member on a second device (its own sign-in), opened before answering: the form shows.
    const second = await signInAs(browser, { sub: member, roles: ['member'], viewport: PHONE });
    await openSurvey(second, id);

    // Nothing chosen: the required questions are marked, nothing is sent.
    await page.getByRole('button', { name: '匿名提交' }).click();
    await page.getByText('还有 2 道必答题没有回答').waitFor();
    expect(await page.locator('[data-question=q1] .el-form-item__error').textContent()).toContain('此题必答');
    await checkPage(page, 'survey-answer-missing');

    await page.getByText('4 · 满意').click();
    await page.getByText('困难帮扶').click();
    await page.getByLabel(/您的意见和建议/).fill('希望多办亲子活动');
    await page.getByRole('button', { name: '匿名提交' }).click();
    await page.getByTestId('survey-thanks').waitFor();
    expect(await page.getByTestId('answer-form').count()).toBe(0);
    await checkPage(page, 'survey-answered');

    // The second try, from the tab still showing the form: refused on the page, what was typed kept.
    await second.getByText('5 · 很满意').click();
    await second.getByText('文体活动').click();
    await second.getByLabel(/您的意见和建议/).fill('第二次的意见');
    await second.getByRole('button', { name: '匿名提交' }).click();
    const refused = second.getByTestId('survey-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('未能提交：您已参加过本次评议');
    await second.getByTestId('survey-answered').waitFor();
    expect(await second.getByLabel(/您的意见和建议/).inputValue()).toBe('第二次的意见');
    expect(await second.getByRole('button', { name: '匿名提交' }).count()).toBe(0);
    await checkPage(second, 'survey-second-try-refused');

    // Back later: the page says so instead of offering the form.
    await openSurvey(page, id);
    await page.getByTestId('survey-answered').waitFor();
    expect(await page.getByTestId('answer-form').count()).toBe(0);
    await checkPage(page, 'survey-answered-revisit');
    await second.context().close();
    // One answer stored, the second refused by the API too.
    const again = await api('POST', `/surveys/${id}/answers`, {
      token: await token(member, 'member'),
      body: {
        answers: [
          { question: 'q1', rating: 1 },
          { question: 'q2', choice: '权益维护' },
        ],
      },
    });
    expect(again.status).toBe(409);
    await page.context().close();
  });

  it('lets the chair draft with the question builder, publish, close early and read the results per branch', async () => {
    const chairId = uniqueId('VWC');
    const page = await signInAs(browser, { sub: chairId, roles: ['chair'] });
    await checkPage(page, 'home-chair');
    await visit(page, '/surveys', 'surveys-chair');
    await page.getByRole('link', { name: '起草问卷' }).click();
    await page.getByTestId('question-builder').waitFor();
    await checkPage(page, 'survey-new');

    // Saved empty: the API's errors next to the title and the question.
    await page.getByRole('button', { name: '保存草稿' }).click();
    expect(await fieldError(page, '问卷标题')).toBe('必填，不能为空');
    expect(await page.locator('[data-question="1"] .el-form-item__error').first().textContent()).toContain(
      '必填',
    );

    const title = `年度会员评家 ${uniqueId('')}`;
    await page.getByLabel('问卷标题').fill(title);
    await page.getByLabel('说明（选填，显示在问卷开头）').fill('请如实评价本年度工会工作。');
    const q = (n: number) => page.locator(`[data-question="${n}"]`);
    await q(1).getByLabel('题目').fill(QUESTIONS[0]!.prompt);
    await page.getByRole('button', { name: '+ 单选' }).click();
    await q(2).getByLabel('题目').fill(QUESTIONS[1]!.prompt);
    await q(2).getByRole('textbox', { name: '选项 1' }).fill('文体活动');
    await q(2).getByRole('textbox', { name: '选项 2' }).fill('文体活动');
    await page.getByRole('button', { name: '+ 文字' }).click();
    await q(3).getByLabel('题目').fill(QUESTIONS[2]!.prompt);
    await expect.poll(() => q(3).getByRole('checkbox', { name: '必答' }).isChecked()).toBe(false);
    // Two equal options: the API refuses, the builder says so at the question, nothing is lost.
    await page.getByRole('button', { name: '保存草稿' }).click();
    await q(2).getByText('选项不能重复').waitFor();
    expect(await page.getByLabel('问卷标题').inputValue()).toBe(title);
    await checkPage(page, 'survey-new-errors');
    await q(2).getByRole('textbox', { name: '选项 2' }).fill('困难帮扶');
    await q(2).getByRole('button', { name: '添加选项' }).click();
    await q(2).getByRole('textbox', { name: '选项 3' }).fill('权益维护');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByTestId('survey-title').waitFor();
    expect(await page.getByTestId('survey-title').textContent()).toBe(title);
    expect(await stageOf(page)).toBe('draft');
    await checkPage(page, 'survey-draft');
    const id = page.url().split('/').pop()!;

    await page.getByRole('button', { name: '发布问卷' }).click();
    await expect.poll(() => stageOf(page)).toBe('open');
    await checkPage(page, 'survey-published');

    // Answers through the API: six from one branch, two from another.
    const ratings = [5, 4, 4, 3, 5, 2];
    const choices = ['文体活动', '困难帮扶', '文体活动', '权益维护', '文体活动', '困难帮扶'];
    for (const [i, who] of big.ids.entries()) {
      const res = await api('POST', `/surveys/${id}/answers`, {
        token: await token(who, 'member'),
        body: {
          answers: [
            { question: 'q1', rating: ratings[i] },
            { question: 'q2', choice: choices[i] },
            ...(i === 0 ? [{ question: 'q3', text: '食堂可以更好' }] : []),
          ],
        },
      });
      expect(res.status).toBe(201);
    }
    for (const who of small.ids)
      expect(
        (
          await api('POST', `/surveys/${id}/answers`, {
            token: await token(who, 'member'),
            body: {
              answers: [
                { question: 'q1', rating: 1 },
                { question: 'q2', choice: '权益维护' },
              ],
            },
          })
        ).status,
      ).toBe(201);

    await page.getByRole('button', { name: '提前结束问卷' }).click();
    await expect.poll(() => stageOf(page)).toBe('closed');
    await checkPage(page, 'survey-closed');
    await page.getByRole('link', { name: '查看结果' }).click();
    await page.getByTestId('suppression').waitFor();
    expect(await page.getByTestId('suppression').textContent()).toContain('少于 5 份');
    expect(await page.getByTestId('total').textContent()).toBe('8');
    expect(await page.getByTestId('unreported').textContent()).toBe('2');
    const bigBranch = page.locator(`[data-branch="${big.branch}"]`);
    expect(await bigBranch.locator('[data-result=q1] [data-mean]').textContent()).toBe('平均分 3.83');
    expect(await bigBranch.locator('[data-result=q3]').textContent()).toContain('食堂可以更好');
    const smallBranch = page.locator(`[data-branch="${small.branch}"]`);
    expect(await smallBranch.locator('[data-suppressed]').textContent()).toContain(
      '回答少于 5 份，为保护匿名不列明细',
    );
    expect(await smallBranch.locator('[data-result]').count()).toBe(0);
    expect(await page.getByTestId('overall').textContent()).toContain('全校总体（6 份回答）');
    await checkPage(page, 'survey-results');

    // An officer of the big branch reads their branch alone.
    const officer = await signInAs(browser, { sub: uniqueId('VWO'), roles: ['officer'], branch: big.branch });
    await visit(officer, `/surveys/${id}/results`, 'survey-results-officer');
    expect(await officer.locator('[data-branch]').count()).toBe(1);
    expect(
      await officer.locator(`[data-branch="${big.branch}"] [data-result=q1] [data-mean]`).textContent(),
    ).toBe('平均分 3.83');
    await Promise.all([page, officer].map((p) => p.context().close()));
  });
});

describe("the chair's mailbox in the browser", () => {
  it('goes from a member’s letter to the chair, handed to a delegate, answered, to the member reading it', async () => {
    const [writer, deputy] = [people.ids[1]!, people.ids[2]!];
    const chairId = uniqueId('VWC');
    const subject = `食堂晚餐时间 ${uniqueId('')}`;

    // The chair names the delegate in the settings.
    const chair = await signInAs(browser, { sub: chairId, roles: ['chair'] });
    await visit(chair, '/letters/settings', 'mailbox-settings');
    const removeButtons = chair.getByRole('button', { name: /^移除委托人/ });
    while ((await removeButtons.count()) > 0) await removeButtons.first().click();
    await chair.getByLabel('添加委托人').fill(`${deputy} bad/id`);
    await chair.getByRole('button', { name: '添加', exact: true }).click();
    await chair.getByRole('button', { name: '保存' }).click();
    await chair.getByText('工号格式不正确：bad/id').waitFor();
    await checkPage(chair, 'mailbox-settings-error');
    await chair.getByRole('button', { name: '移除委托人 bad/id' }).click();
    await chair.getByLabel('提醒天数').fill('5');
    await chair.getByRole('button', { name: '保存' }).click();
    await chair.getByText('设置已保存').waitFor();
    expect(await chair.getByTestId('delegates').textContent()).toContain(deputy);

    // An admin reads the settings, without a way to change them.
    const admin = await signInAs(browser, { sub: uniqueId('VWA'), roles: ['admin'] });
    await visit(admin, '/letters/settings', 'mailbox-settings-admin');
    await admin.getByTestId('read-only').waitFor();
    expect(await admin.getByTestId('delegates').textContent()).toContain(deputy);
    expect(await admin.getByRole('button', { name: '保存' }).count()).toBe(0);
    await admin.context().close();

    // The member writes; a missing subject is marked and the text stays.
    const member = await signInAs(browser, { sub: writer, roles: ['member'] });
    await visit(member, '/mailbox', 'mailbox');
    await member.getByLabel('内容').fill('希望食堂晚餐延长到20:00。');
    await member.getByRole('button', { name: '寄出' }).click();
    expect(await fieldError(member, '主题')).toBe('必填，不能为空');
    expect(await fieldError(member, '类别')).toBe('必填，不能为空');
    expect(await member.getByLabel('内容').inputValue()).toBe('希望食堂晚餐延长到20:00。');
    await checkPage(member, 'mailbox-errors');
    await choose(member, '类别', '后勤保障');
    await member.getByLabel('主题').fill(subject);
    await member.getByRole('button', { name: '寄出' }).click();
    await member.getByTestId('letter-written').waitFor();
    await member.getByTestId('letter-list').getByRole('link', { name: subject }).waitFor();
    await checkPage(member, 'mailbox-written');

    // The chair finds it, hands it to the delegate.
    await visit(chair, '/letters', 'letters-chair');
    await chair.getByRole('link', { name: subject }).click();
    await chair.getByTestId('letter-subject').waitFor();
    await checkPage(chair, 'letter-chair');
    await choose(chair, '转交给', deputy);
    await chair.locator('[data-action=delegate]').getByRole('button', { name: '转交委托人' }).click();
    await expect.poll(() => chair.getByTestId('delegated-to').textContent()).toBe(deputy);

    // The delegate (a member the chair named, no special role) finds it among the letters handed to them.
    const delegate = await signInAs(browser, { sub: deputy, roles: ['member'] });
    await visit(delegate, '/mailbox', 'mailbox-delegate');
    await delegate.getByTestId('handler-link').getByRole('link', { name: '处理来信' }).click();
    await delegate.getByText('只看转交给我的').click();
    await delegate.getByRole('button', { name: '筛选' }).click();
    await delegate.waitForURL(/assignedToMe=true/);
    await checkPage(delegate, 'letters-delegate');
    await delegate.getByRole('link', { name: subject }).click();
    await delegate.getByTestId('letter-subject').waitFor();
    await delegate.getByLabel('答复内容').fill('已与后勤处商定，下月起晚餐供应至20:00。');
    await delegate.locator('[data-action=answer]').getByRole('button', { name: '发送答复' }).click();
    await expect.poll(() => delegate.getByTestId('answers').textContent()).toContain('下月起晚餐供应至20:00');
    await checkPage(delegate, 'letter-delegate-answered');

    // The member reads the answer and closes the letter.
    await member.goto(`${baseUrl()}/mailbox`);
    await member.getByTestId('letter-list').getByRole('link', { name: subject }).click();
    await member.getByTestId('letter-subject').waitFor();
    expect(await member.getByTestId('answers').textContent()).toContain('下月起晚餐供应至20:00');
    expect(await member.locator('.gh-state').first().textContent()).toBe('已答复');
    await checkPage(member, 'letter-member-answered');
    await member.getByLabel('说明（选填）').fill('谢谢，问题已解决');
    await member.locator('[data-action=close]').getByRole('button', { name: '关闭此信' }).click();
    await member.getByTestId('closed').waitFor();
    expect(await member.getByTestId('closed').textContent()).toContain('谢谢，问题已解决');
    await checkPage(member, 'letter-closed');

    // A letter for the chair alone: marked, never handed on, invisible to the delegate.
    const secret = await api('POST', '/letters', {
      token: await token(writer, 'member'),
      body: { subject: `仅主席 ${subject}`, text: '私事', category: '薪酬福利', chairOnly: true },
    });
    expect(secret.status).toBe(201);
    await chair.goto(`${baseUrl()}/letters/${secret.body.id}`);
    await chair.getByTestId('chair-only-tag').waitFor();
    expect(await chair.locator('[data-action=delegate]').count()).toBe(0);
    await chair.getByText('此信仅主席本人可阅，不能转交').waitFor();
    await checkPage(chair, 'letter-chair-only');
    await delegate.goto(`${baseUrl()}/letters/${secret.body.id}`);
    await delegate.getByText('没有找到该内容，或您无权查看').waitFor();

    // The year's report, and its CSV through the API's own route.
    await visit(chair, '/letters/report', 'letters-report');
    const services = chair.locator('[data-category="后勤保障"]');
    const counted = Number(await services.locator('td').first().textContent());
    expect(counted).toBeGreaterThanOrEqual(1);
    const [download] = await Promise.all([
      chair.waitForEvent('download'),
      chair.getByTestId('report-csv').click(),
    ]);
    const year = shanghaiDay().slice(0, 4);
    expect(download.suggestedFilename()).toBe(`letters-report-${year}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('类别_category');
    expect(csv).toMatch(new RegExp(`${year},后勤保障,${counted},`));
    // An auditor reads it too (counts and days, no letter).
    const auditor = await signInAs(browser, { sub: uniqueId('VWU'), roles: ['auditor'] });
    await visit(auditor, '/letters/report', 'letters-report-auditor');
    await auditor.getByTestId('letter-report').waitFor();
    await Promise.all([chair, member, delegate, auditor].map((p) => p.context().close()));
  });
});

describe('suggestions in the browser', () => {
  it('goes from a member’s suggestion to a delegate’s proposal draft', async () => {
    const author = people.ids[3]!;
    const title = `建议增设教职工健身房 ${uniqueId('')}`;
    const member = await signInAs(browser, { sub: author, roles: ['member'] });
    await visit(member, '/suggestions', 'suggestions-member');
    await member.getByLabel('标题').fill(title);
    await member.getByRole('button', { name: '提交建议' }).click();
    expect(await fieldError(member, '内容')).toBe('必填，不能为空');
    expect(await member.getByLabel('标题').inputValue()).toBe(title);
    await member.getByLabel('内容').fill('利用体育馆闲置场地，午间向教职工开放。');
    await member.getByRole('button', { name: '提交建议' }).click();
    await member.getByTestId('suggestion-posted').waitFor();
    await member.getByTestId('suggestion-list').getByRole('link', { name: title }).waitFor();
    await checkPage(member, 'suggestions-posted');

    const delegateId = uniqueId('VWD');
    const delegate = await signInAs(browser, { sub: delegateId, roles: ['delegate'] });
    await visit(delegate, '/suggestions', 'suggestions-delegate');
    await delegate.getByTestId('suggestion-list').getByRole('link', { name: title }).click();
    await delegate.getByTestId('suggestion-title').waitFor();
    expect(await delegate.getByLabel('提案标题').inputValue()).toBe(title);
    await delegate.getByLabel('提案类别（选填）').fill('后勤');
    await checkPage(delegate, 'suggestion-convert');
    await delegate.getByRole('button', { name: '转为提案草稿' }).click();
    await delegate.getByTestId('adopted').waitFor();
    await checkPage(delegate, 'suggestion-adopted');
    await delegate.getByTestId('proposal-link').click();
    await delegate.getByTestId('proposal-title').waitFor();
    expect(await delegate.getByTestId('proposal-title').textContent()).toBe(title);
    expect(await delegate.locator('.gh-state').first().textContent()).toBe('草稿');

    // The author sees it taken up.
    await member.getByTestId('suggestion-list').getByRole('link', { name: title }).click();
    await member.getByTestId('adopted').waitFor();
    expect(await member.getByTestId('adopted').textContent()).toContain(delegateId);
    await checkPage(member, 'suggestion-adopted-author');
    await Promise.all([member, delegate].map((p) => p.context().close()));
  });
});
