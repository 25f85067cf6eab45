/**
 * The chair's dashboard and the reports in Chromium: seeded data of a branch of its own (three
 * members hired through HR's events, a hospital visit granted, a proposal overdue, a letter
 * unanswered); the chair sees on the page the figures the API gives (the union, then that branch
 * chosen on the page), with every chart drawn and its data table; the branch's officer sees only
 * their branch; the reports page downloads both CSVs through the authenticated client (contents
 * checked); a member opening the dashboard's address gets the 403 page and no data is fetched.
 * axe and screenshots (desktop, phone) on every page.
 */
import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalItem } from '../../../shared/adapters/proposal-store-dynamodb.ts';
import { newId } from '../../../shared/domain/ids.ts';
import type { Proposal } from '../../../shared/domain/proposals/proposal.ts';
import {
  api,
  db,
  hiredEvent,
  memberByEmployee,
  publish,
  runtime,
  token,
  uniqueId,
  waitIdle,
} from '../support.ts';
import { baseUrl, checkPage, launchBrowser, screenshotsFor, signInAs, visit } from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);

const run = uniqueId('DW').slice(-6);
const branch = { code: `BDW${run}`, name: `看板测试分工会${run}` };
const dept = `DDW${run}`;
const ids = [0, 1, 2].map((i) => `DW${run}${i}`);
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const thisYear = () => today().slice(0, 4);
let chairToken: string;
let proposalId: string;
let letterId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  chairToken = await token(uniqueId('DWCHAIR'), 'chair');
  const mapped = await api('PUT', `/departments/${dept}`, {
    token: chairToken,
    body: { departmentName: '看板测试学院', branch },
  });
  expect(mapped.status).toBe(200);
  await publish(
    ids.map((id, i) =>
      hiredEvent(id, {
        eventId: `hire-${id}`,
        department: { code: dept, name: '看板测试学院' },
        gender: i === 0 ? 'female' : 'male',
        hireDate: '2026-03-01',
      }),
    ),
  );
  await waitIdle();
  // A hospital visit, filed by the branch's officer and approved by the chair: a grant of 1,000 yuan.
  const m = await memberByEmployee(ids[1]!);
  const officer = await token(uniqueId('DWOFF'), 'officer', { branch: branch.code });
  const request = await api('POST', '/care/requests', {
    token: officer,
    body: { memberId: m!.memberId, kind: 'hospital', date: today(), note: '住院' },
  });
  expect(request.status).toBe(201);
  expect(
    (await api('POST', `/care/requests/${request.body.id}/approve`, { token: chairToken, body: {} })).status,
  ).toBe(200);
  // A letter to the chair, not answered.
  const letter = await api('POST', '/letters', {
    token: await token(ids[0]!, 'member'),
    body: { subject: `看板来信 ${run}`, text: '内容', category: '后勤保障' },
  });
  expect(letter.status).toBe(201);
  letterId = letter.body.id;
  // A proposal of this session assigned to the branch's department and overdue since last week
  // (written as the store writes it: a due date in the past cannot be given through the API).
  proposalId = newId();
  const at = new Date().toISOString();
  const overdue: Proposal = {
    id: proposalId,
    number: `${thisYear()}-DW${run}`,
    session: '2026',
    state: 'assigned',
    title: `食堂延长供餐时间 ${run}`,
    content: '内容',
    category: null,
    author: { id: ids[2]! },
    seconders: [],
    review: null,
    assignment: {
      department: dept,
      supportingDepartments: [],
      dueDate: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
      assignedAt: at,
      round: 1,
    },
    answer: null,
    feedback: null,
    ratings: [],
    withdrawal: null,
    submittedAt: at,
    closedAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await db().send(new PutCommand({ TableName: runtime().tableName, Item: proposalItem(overdue) }));
  await waitIdle();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the dashboard and waits until the page marked every chart drawn. */
const openDashboard = async (page: Page, path: string, name: string) => {
  await page.goto(`${baseUrl()}${path}`);
  await page.waitForFunction(() => performance.getEntriesByName('dashboard-drawn').length > 0, undefined, {
    timeout: 30_000,
  });
  await checkPage(page, name);
};

const yuan = (fen: number) =>
  new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', maximumFractionDigits: 2 }).format(
    fen / 100,
  );

describe('the dashboard in the browser', () => {
  it('shows the chair the figures the API gives, for the union and then for one branch', async () => {
    const expected = (await api('GET', '/reports/dashboard', { token: chairToken })).body;
    const page = await signInAs(browser, { sub: uniqueId('DWC'), roles: ['chair'] });
    await checkPage(page, 'home-chair');
    await page.getByRole('link', { name: '工作台' }).first().click();
    await page.waitForURL(`${baseUrl()}/admin/dashboard`);
    await openDashboard(page, '/admin/dashboard', 'dashboard-chair');

    await expect
      .poll(() => page.getByTestId('kpi-members').textContent())
      .toBe(new Intl.NumberFormat('zh-CN').format(expected.members.total.active));
    expect(await page.getByTestId('kpi-care').textContent()).toBe(yuan(expected.care.totalFen));
    // Every chart is drawn on a canvas, with a label that says what it shows.
    const charts = page.locator('.gh-chart[role="img"]');
    expect(await charts.count()).toBe(6);
    for (const label of await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))))
      expect(label).toBeTruthy();
    expect(await page.locator('.gh-chart canvas').count()).toBeGreaterThanOrEqual(6);
    // The members' table (the chart's text alternative) has the branch with its three members.
    const members = page.getByTestId('panel-members');
    await members.getByText('数据表').click();
    const row = members.locator('tbody tr').filter({ hasText: branch.name });
    expect((await row.locator('td').allTextContents()).at(-1)).toBe('3');
    // The overdue proposal, linked to its page; the letter waiting.
    const overdue = page
      .getByTestId('overdue')
      .getByRole('link', { name: new RegExp(`食堂延长供餐时间 ${run}`) });
    expect(await overdue.getAttribute('href')).toBe(`/proposals/${proposalId}`);
    // The letters waiting longest, oldest first (the page lists eight): in a full run other files
    // write letters today too, so this run's letter is in the API's list, not always among the eight.
    const waiting = expected.letters.items as Array<{ id: string }>;
    expect(waiting.map((l) => l.id)).toContain(letterId);
    expect(
      await page
        .getByTestId('letters-waiting')
        .getByRole('link')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(waiting.slice(0, 8).map((l) => `/letters/${l.id}`));
    // The holidays ahead, with their dispatch day and reach, as a table shown open.
    const holidays = page.getByTestId('panel-holidays');
    expect(await holidays.locator('tbody tr').count()).toBe(expected.holidays.length);
    expect(await holidays.locator('tbody tr').first().locator('th').textContent()).toBe(
      expected.holidays[0].name,
    );

    // One branch, chosen on the page.
    await page.getByRole('combobox', { name: '范围' }).click();
    await page.getByRole('option', { name: branch.name }).click();
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(new RegExp(`branch=${branch.code}`));
    await page.getByRole('heading', { level: 1, name: `工作台 · ${branch.name}` }).waitFor();
    await page.waitForFunction(() => performance.getEntriesByName('dashboard-drawn').length > 0);
    await expect.poll(() => page.getByTestId('kpi-members').textContent()).toBe('3');
    expect(await page.getByTestId('kpi-care').textContent()).toBe(yuan(100_000));
    const care = page.getByTestId('panel-care');
    await care.getByText('数据表').click();
    const life = care.locator('tbody tr').filter({ hasText: '婚丧病退等慰问' });
    expect((await life.locator('td').allTextContents())[0]).toBe(yuan(100_000));
    await checkPage(page, 'dashboard-chair-branch');
    // The holidays reach the branch's three active members (women's day: the one woman).
    const branchAnswer = (await api('GET', `/reports/dashboard?branch=${branch.code}`, { token: chairToken }))
      .body;
    const women = branchAnswer.holidays.find((h: { audience: string }) => h.audience === 'women');
    if (women?.enabled) expect(women.reach).toBe(1);
    await page.context().close();
  });

  it('shows an officer their own branch only, without proposals and letters, in English too', async () => {
    const page = await signInAs(browser, {
      sub: uniqueId('DWO'),
      roles: ['officer'],
      branch: branch.code,
      viewport: { width: 390, height: 844 },
    });
    await openDashboard(page, '/admin/dashboard', 'dashboard-officer');
    await page.getByRole('heading', { level: 1, name: `工作台 · ${branch.name}` }).waitFor();
    expect(await page.getByTestId('kpi-members').textContent()).toBe('3');
    expect(await page.getByTestId('panel-proposals').count()).toBe(0);
    expect(await page.getByTestId('panel-letters').count()).toBe(0);
    expect(await page.getByRole('combobox', { name: '范围' }).count()).toBe(0);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: '切换语言' }).click();
    await page.getByRole('heading', { level: 1, name: `Dashboard · ${branch.name}` }).waitFor();
    await checkPage(page, 'dashboard-officer-en');
    await page.context().close();
  });

  it('downloads the proposals and letters reports as CSV through the signed-in client', async () => {
    const page = await signInAs(browser, { sub: uniqueId('DWA'), roles: ['auditor'] });
    await visit(page, '/admin/reports', 'reports-auditor');
    await page.getByTestId('report-total').waitFor();
    const download = async (testId: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
    };
    const proposals = await download('proposals-csv');
    expect(proposals.name).toBe(`proposals-report-${thisYear()}.csv`);
    const lines = proposals.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toContain('承办单位_department');
    expect(lines.find((l) => l.startsWith(dept))).toBeDefined();
    expect(lines.at(-1)).toContain('合计 total');
    // The page's table has the same department row.
    expect(
      await page.getByTestId('proposal-report').locator('tbody tr').filter({ hasText: dept }).count(),
    ).toBe(1);

    const letters = await download('letters-csv');
    expect(letters.name).toBe(`letters-report-${thisYear()}.csv`);
    const rows = letters.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(rows[0]).toContain('类别_category');
    const logistics = rows.find((l) => l.startsWith(`${thisYear()},后勤保障,`));
    expect(Number(logistics?.split(',')[2])).toBeGreaterThanOrEqual(1);
    expect(rows.at(-1)).toContain('合计 total');
    const letterReport = (await api('GET', `/reports/letters?year=${thisYear()}`, { token: chairToken }))
      .body;
    const tableRow = page.getByTestId('letter-report').locator('tbody tr').filter({ hasText: '后勤保障' });
    expect((await tableRow.locator('td').allTextContents())[0]).toBe(
      String(letterReport.categories.find((c: { category: string }) => c.category === '后勤保障').count),
    );
    await checkPage(page, 'reports-auditor-after');
    await page.context().close();
  });

  it('gives the committee the proposals report only', async () => {
    const page = await signInAs(browser, { sub: uniqueId('DWK'), roles: ['committee'] });
    await visit(page, '/admin/reports', 'reports-committee');
    await page.getByTestId('report-total').waitFor();
    expect(await page.getByTestId('letter-report').count()).toBe(0);
    await page.context().close();
  });

  it('shows a member the 403 page at the dashboard, fetching nothing', async () => {
    const page = await signInAs(browser, { sub: uniqueId('DWM'), roles: ['member'] });
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) apiCalls.push(r.url());
    });
    await visit(page, '/admin/dashboard', 'dashboard-forbidden-member');
    await page.getByTestId('forbidden').waitFor();
    await visit(page, '/admin/reports', 'reports-forbidden-member');
    await page.getByTestId('forbidden').waitFor();
    expect(apiCalls).toEqual([]);
    await page.context().close();
  });
});
