/**
 * The proposals journey in Chromium, each role in its own browser context signed in through
 * /dev/sign-in: a delegate drafts and submits, two other delegates second it, the committee
 * registers and assigns it, the department answers, the delegate rates it; each sees the state
 * the others left. Also: a 409 and a 412 leave the form's text in place, a field error shows next
 * to its field, a member opening a committee page gets the 403 page (and no data is fetched), the
 * language switch. axe and screenshots on every page (browser.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, token, uniqueId } from '../support.ts';
import {
  baseUrl,
  checkPage,
  fieldError,
  launchBrowser,
  screenshotsFor,
  signInAs,
  stateOf,
  visit,
} from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Opens a proposal's page and waits for its title. */
const openProposal = async (page: Page, id: string, name: string) => {
  await page.goto(`${baseUrl()}/proposals/${id}`);
  await page.getByTestId('proposal-title').waitFor();
  await checkPage(page, name);
};

describe('proposals in the browser', () => {
  it('goes from a draft to a rated answer across five people, each seeing what the others left', async () => {
    const session = uniqueId('W');
    const dept = uniqueId('D');
    const ids = { a: uniqueId('WA'), b: uniqueId('WB'), c: uniqueId('WC') };
    const title = `图书馆延长开放时间 ${session}`;

    // The delegate drafts and submits.
    const a = await signInAs(browser, { sub: ids.a, roles: ['delegate', 'member'] });
    await checkPage(a, 'home-delegate');
    await visit(a, '/proposals/new', 'proposal-new');
    await a.getByLabel('标题').fill(title);
    await a.getByLabel('内容（案由、建议）').fill('建议期末考试周图书馆开放至24:00。');
    await a.getByLabel('类别').fill('教学');
    await a.getByLabel('届次').fill(session);
    await a.getByRole('button', { name: '保存草稿' }).click();
    await a.getByTestId('proposal-title').waitFor();
    const id = a.url().split('/').pop()!;
    expect(await stateOf(a)).toBe('草稿');
    await checkPage(a, 'proposal-draft');
    await a.getByRole('button', { name: '提交提案' }).click();
    await expect.poll(() => stateOf(a)).toBe('征集附议中');

    // Two other delegates find it in the list and second it.
    for (const [who, name] of [
      [ids.b, 'b'],
      [ids.c, 'c'],
    ] as const) {
      const page = await signInAs(browser, { sub: who, roles: ['delegate'] });
      await visit(page, `/proposals?session=${session}`, `proposals-list-${name}`);
      await page.getByRole('link', { name: title }).click();
      await page.getByTestId('proposal-title').waitFor();
      await page.getByRole('button', { name: '附议此提案' }).click();
      await expect.poll(() => page.getByTestId('seconders').textContent()).toContain(who);
      await page.context().close();
    }

    // The committee sees it in its queue under review, registers and assigns it.
    const committee = await signInAs(browser, { sub: uniqueId('CM'), roles: ['committee'] });
    await visit(committee, '/proposals/review', 'review-queue');
    await committee.getByRole('link', { name: title }).first().click();
    await committee.getByTestId('proposal-title').waitFor();
    expect(await stateOf(committee)).toBe('待审查');
    await checkPage(committee, 'proposal-under-review');
    await committee.locator('[data-action=review]').getByRole('button', { name: '审查' }).click();
    await expect.poll(() => stateOf(committee)).toBe('已立案');
    await committee.getByLabel('主办单位代码').fill(dept);
    await committee.getByLabel('协办单位代码（可多个，用逗号或空格分隔）').fill('FIN, HR');
    await committee.getByLabel('办理期限').fill(inDays(2));
    await checkPage(committee, 'proposal-assign-form');
    await committee.locator('[data-action=assign]').getByRole('button', { name: '交办' }).click();
    await expect.poll(() => stateOf(committee)).toBe('办理中');
    await expect.poll(() => committee.getByTestId('assignment').textContent()).toContain(dept);

    // The department sees it due soon and answers.
    const department = await signInAs(browser, {
      sub: uniqueId('DP'),
      roles: ['department'],
      department: dept,
    });
    await visit(department, '/proposals/assigned', 'department-queue');
    const row = department.locator(`[data-proposal="${id}"]`);
    await expect.poll(() => row.locator('[data-due]').getAttribute('data-due')).toBe('soon');
    await row.getByRole('link', { name: title }).click();
    await department.getByTestId('proposal-title').waitFor();
    await department.getByLabel('答复内容').fill('自下学期起，考试周开放至24:00。');
    await department.getByLabel('所需经费（选填）').fill('约1万元');
    await checkPage(department, 'proposal-answer-form');
    await department.locator('[data-action=answer]').getByRole('button', { name: '答复提案' }).click();
    await expect.poll(() => stateOf(department)).toBe('已答复');

    // The delegate reads the answer and rates it; the timeline has every step.
    await openProposal(a, id, 'proposal-answered');
    expect(await stateOf(a)).toBe('已答复');
    expect(await a.getByTestId('answer').textContent()).toContain('考试周开放至24:00');
    await a.getByText('满意', { exact: true }).click();
    await a.getByLabel('意见（选填）').fill('感谢');
    await a.locator('[data-action=feedback]').getByRole('button', { name: '评价答复' }).click();
    await expect.poll(() => stateOf(a)).toBe('已办结');
    await expect.poll(() => a.locator('.gh-timeline li').count()).toBe(8);
    await checkPage(a, 'proposal-closed');

    // The committee and the department see the state the delegate left.
    await openProposal(committee, id, 'proposal-closed-committee');
    expect(await stateOf(committee)).toBe('已办结');
    expect(await committee.getByTestId('feedback').textContent()).toContain('满意');
    await openProposal(department, id, 'proposal-closed-department');
    expect(await stateOf(department)).toBe('已办结');
    // And the API agrees.
    const stored = await api('GET', `/proposals/${id}`, { token: await token(ids.a, 'delegate') });
    expect(stored.body).toMatchObject({ state: 'closed', title, feedback: { rating: 'satisfied' } });
    await Promise.all([a, committee, department].map((p) => p.context().close()));
  });

  it('keeps what was typed through a 400, a 412 and a 409, and shows the error next to its field', async () => {
    const sub = uniqueId('WE');
    const page = await signInAs(browser, { sub, roles: ['delegate'] });
    await visit(page, '/proposals/new', 'proposal-new-empty');
    await page.getByLabel('内容（案由、建议）').fill('只有内容，没有标题。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    expect(await fieldError(page, '标题')).toBe('必填，不能为空');
    expect(await page.getByLabel('内容（案由、建议）').inputValue()).toBe('只有内容，没有标题。');
    await checkPage(page, 'proposal-field-error');

    // A draft changed in another tab meanwhile: 412, the text stays, reload is offered.
    const mine = await token(sub, 'delegate');
    const created = await api('POST', '/proposals', {
      token: mine,
      body: { title: '原标题', content: '原内容' },
    });
    await visit(page, `/proposals/${created.body.id}/edit`, 'proposal-edit');
    await page.getByLabel('内容（案由、建议）').fill('我新写的内容，不能丢。');
    const other = await api('PATCH', `/proposals/${created.body.id}`, {
      token: mine,
      body: { title: '别处改的标题' },
    });
    expect(other.status).toBe(200);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByRole('alert').filter({ hasText: '已被他人修改' }).waitFor();
    expect(await page.getByLabel('内容（案由、建议）').inputValue()).toBe('我新写的内容，不能丢。');
    await checkPage(page, 'proposal-edit-412');

    // Submitted meanwhile: after the reload the user asked for, a 409 with the current state, the text still there.
    expect(
      (await api('POST', `/proposals/${created.body.id}/submit`, { token: mine, body: {} })).status,
    ).toBe(200);
    await page.getByRole('button', { name: '重新加载' }).click();
    await expect.poll(() => page.getByLabel('标题').inputValue()).toBe('别处改的标题');
    await page.getByLabel('内容（案由、建议）').fill('提交之后再改。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByRole('alert').filter({ hasText: '当前状态不允许此操作' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('当前状态：征集附议中');
    expect(await page.getByLabel('内容（案由、建议）').inputValue()).toBe('提交之后再改。');
    await checkPage(page, 'proposal-edit-409');
    await page.context().close();
  });

  it('shows a member the 403 page on a committee address, fetching nothing, and switches language', async () => {
    const page = await signInAs(browser, { sub: uniqueId('WM'), roles: ['member'] });
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) apiCalls.push(r.url());
    });
    await visit(page, '/proposals/review', 'forbidden-member');
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByTestId('forbidden').textContent()).toContain('提案委员会');
    expect(apiCalls).toEqual([]);
    // Navigation shows only what a member may use.
    expect(await page.getByRole('navigation').first().getByRole('link').allTextContents()).toEqual([
      '我的会籍',
    ]);

    await page.getByRole('button', { name: '切换语言' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { name: 'Not allowed (403)' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Not allowed (403)' }).waitFor();
    await checkPage(page, 'forbidden-member-en');
    await visit(page, '/no/such/page', 'not-found-en');
    await page.getByRole('heading', { name: 'Page not found (404)' }).waitFor();
    await page.context().close();
  });
});
