/**
 * The officers' members console in Chromium against the embedded runtime:
 * (1) an officer downloads the template, uploads a 300-row staff CSV with 3 bad rows and sees 297
 *     enrolled and the 3 reasons by line; a re-run changes nothing (the branch's member count
 *     through the API, before and after);
 * (2) a member opening the console's addresses gets the 403 page, and the page calls no API route;
 * (3) an officer finds a member, opens their page (history, care), records a leave; enrols someone
 *     by hand; the chair maps an unknown department, which leaves the flagged list.
 * axe and screenshots on every page (browser.ts).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS } from '../../../shared/domain/members/import-members.ts';
import {
  api,
  hiredEvent,
  hrEvent,
  memberByEmployee,
  publish,
  token,
  uniqueId,
  waitIdle,
} from '../support.ts';
import { checkPage, launchBrowser, screenshotsFor, signInAs, visit } from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Maps a new department to a new branch (as the chair); returns both codes. */
const mappedBranch = async (prefix: string) => {
  const dept = uniqueId(`${prefix}D`);
  const branch = `B${dept}`;
  const chair = await token(uniqueId(`${prefix}CH`), 'chair');
  const res = await api('PUT', `/departments/${dept}`, {
    token: chair,
    body: { departmentName: `${prefix}测试学院`, branch: { code: branch, name: `${prefix}测试分工会` } },
  });
  expect(res.status).toBe(200);
  return { dept, branch, chair };
};

/** How many members a branch has, through GET /members as its officer (every page). */
const memberCount = async (officer: string, branch: string) => {
  let count = 0;
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams({ branch, limit: '200', ...(cursor ? { cursor } : {}) });
    const res = await api('GET', `/members?${q}`, { token: officer });
    expect(res.status).toBe(200);
    count += res.body.items.length;
    cursor = res.body.cursor;
  } while (cursor);
  return count;
};

/** Waits for the import to finish; a run that stopped fails the test with what the page says. */
const importDone = async (page: Page) => {
  const done = page.getByRole('heading', { name: '导入完成' });
  const stopped = page.getByTestId('import-stopped');
  await done.or(stopped).first().waitFor({ timeout: 240_000 });
  if (await stopped.isVisible()) throw new Error(`the import stopped: ${await stopped.textContent()}`);
};

/** A number shown in the import's totals. */
const total = async (page: Page, which: 'enrolled' | 'already' | 'rejected') =>
  Number(await page.locator(`[data-total=${which}] dd`).textContent());

/** Chooses an option of an Element Plus select, by the select's accessible name. */
const choose = async (page: Page, label: string, option: string) => {
  // The placeholder lies over the input (Element Plus): click through it, as a person's click does.
  await page.getByRole('combobox', { name: label }).click({ force: true });
  await page.getByRole('option', { name: option, exact: true }).click();
};

describe('the members console in the browser', () => {
  it('imports a 300-row staff CSV: 297 enrolled, 3 reasons by line, and a re-run changes nothing', async () => {
    const { dept, branch } = await mappedBranch('WI');
    const officerId = uniqueId('WIO');
    const officer = await token(officerId, 'officer', { branch });
    const run = uniqueId('WIR');
    // Rows 3, 121 and 248 are bad; a blank line after data row 149 shifts the later lines by one;
    // a quoted cell holds a comma.
    const lines = [IMPORT_COLUMNS.join(',')];
    for (let i = 0; i < 300; i++) {
      const id = `${run}${String(i).padStart(3, '0')}`;
      const cells = [
        id,
        i === 121 ? '' : `导入${i}`,
        i === 248 ? 'unknown' : i % 3 === 0 ? 'female' : 'male',
        `19${80 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`,
        i === 3 ? 'not-an-email' : `${id.toLowerCase()}@example.edu.cn`,
        '',
        dept,
        'WI测试学院',
        i === 7 ? '"讲师, 副主任"' : '讲师',
        'teaching',
        'permanent',
        '2019-09-01',
      ];
      lines.push(cells.join(','));
      if (i === 149) lines.push('');
    }
    const csv = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');

    const page = await signInAs(browser, { sub: officerId, roles: ['officer'], branch });
    await visit(page, '/admin/members/import', 'import');
    // The template downloads through the API client (with the token), as a file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-template').click(),
    ]);
    expect(download.suggestedFilename()).toBe('members-import-template.csv');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(`\uFEFF${IMPORT_COLUMNS.join(',')}\r\n`);

    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: csv });
    await expect
      .poll(() => page.getByTestId('import-preview').textContent())
      .toContain('staff.csv：300 行待导入');
    expect(await page.getByTestId('import-preview').textContent()).toContain('已跳过空行 1 行');
    await checkPage(page, 'import-preview');

    expect(await memberCount(officer, branch)).toBe(0);
    await page.getByTestId('start-import').click();
    await importDone(page);
    expect(await total(page, 'enrolled')).toBe(297);
    expect(await total(page, 'already')).toBe(0);
    expect(await total(page, 'rejected')).toBe(3);
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('import-progress').textContent()).toContain('已处理 300 / 300 行');
    await checkPage(page, 'import-done');

    // Only the refused rows: their lines in the file and what to fix.
    await page.getByTestId('only-rejected').click();
    const rows = page.getByTestId('import-results').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.locator('[data-col=line]').allTextContents()).toEqual(['5', '123', '251']);
    const reasons = await rows.locator('[data-col=detail]').allTextContents();
    expect(reasons[0]).toContain('电子邮箱：不是有效的电子邮箱');
    expect(reasons[1]).toContain('姓名：必填');
    expect(reasons[2]).toContain('性别：应为 female、male 之一');
    await checkPage(page, 'import-rejected-only');
    expect(await memberCount(officer, branch)).toBe(297);
    const quoted = await memberByEmployee(`${run}007`);
    expect(quoted?.position).toBe('讲师, 副主任');

    // The same file again: everyone already a member, nothing changed.
    const numbersBefore = (await memberByEmployee(`${run}100`))?.membershipNumber;
    await page.getByTestId('import-again').click();
    await importDone(page);
    await expect.poll(() => total(page, 'already'), { timeout: 120_000 }).toBe(297);
    expect(await total(page, 'enrolled')).toBe(0);
    expect(await total(page, 'rejected')).toBe(3);
    await checkPage(page, 'import-rerun');
    expect(await memberCount(officer, branch)).toBe(297);
    expect((await memberByEmployee(`${run}100`))?.membershipNumber).toBe(numbersBefore);
    await page.context().close();
    // Two passes over 300 rows, a request per 50 rows, on a shared runtime.
  }, 420_000);

  it('shows a member the 403 page on every console address, calling no API route', async () => {
    const page = await signInAs(browser, { sub: uniqueId('WAM'), roles: ['member'] });
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(r.url());
    });
    for (const [path, name] of [
      ['/admin/members', 'forbidden-members'],
      ['/admin/members/import', 'forbidden-import'],
      ['/admin/members/new', 'forbidden-enrol'],
      ['/admin/members/M123', 'forbidden-member'],
      ['/admin/departments', 'forbidden-departments'],
    ] as const) {
      await visit(page, path, name);
      await page.getByTestId('forbidden').waitFor();
      expect(await page.getByTestId('forbidden').textContent()).toContain('分工会、工会主席、管理员');
    }
    expect(apiCalls).toEqual([]);
    // And the menu offers a member none of them.
    expect(await page.getByRole('navigation').first().getByRole('link').allTextContents()).not.toContain(
      '会员管理',
    );
    await page.context().close();
  });

  it('finds a member, shows their history and care, records a leave; enrols by hand; maps an unknown department', async () => {
    const { dept, branch, chair } = await mappedBranch('WJ');
    const officerId = uniqueId('WJO');
    const employeeId = uniqueId('WJM');
    await publish([
      hiredEvent(employeeId, {
        name: '林晓燕',
        department: { code: dept, name: 'WJ测试学院' },
        hireDate: '2024-09-01',
        occurredAt: '2024-08-20T10:00:00+08:00',
      }),
      // A transfer HR announced ahead, to a department of another branch.
      hrEvent('EmployeeTransferred', {
        eventId: `${employeeId}-t`,
        occurredAt: new Date().toISOString(),
        employeeId,
        department: { code: `${dept}X`, name: 'WJ未来学院' },
        effectiveDate: '2099-01-01',
      }),
    ]);
    await waitIdle();
    const memberId = (await memberByEmployee(employeeId))!.memberId as string;
    const officer = await token(officerId, 'officer', { branch });
    const reported = await api('POST', '/care/requests', {
      token: officer,
      body: { memberId, kind: 'hospital', date: today(), note: '住院' },
    });
    expect(reported.status).toBe(201);
    expect(
      (await api('POST', `/care/requests/${reported.body.id}/approve`, { token: chair, body: {} })).status,
    ).toBe(200);
    await waitIdle();

    // The officer searches by 工号 and opens the member.
    const page = await signInAs(browser, { sub: officerId, roles: ['officer'], branch });
    await visit(page, '/admin/members', 'members-list');
    expect(await page.getByTestId('member-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('member-table').textContent()).toContain('2099-01-01 起调往 校工会直属');
    await page.getByLabel('姓名、工号或会员证号').fill(employeeId);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.waitForURL(/q=/);
    await expect.poll(() => page.getByTestId('member-table').locator('tbody tr').count()).toBe(1);
    await checkPage(page, 'members-search');
    await page.getByRole('link', { name: '林晓燕' }).click();
    await page.getByTestId('member-name').waitFor();
    await page.getByTestId('member-care').waitFor();
    await checkPage(page, 'member-page');
    expect(await page.getByTestId('member-status').textContent()).toBe('在会');
    const history = page.getByTestId('member-history');
    expect(await history.locator('li').count()).toBe(3);
    expect(await history.textContent()).toContain('来源：人事处入职信息');
    const care = await page.getByTestId('member-care').textContent();
    expect(care).toContain('住院慰问');
    expect(care).toContain('¥1,000.00');
    // The transfer HR announced ahead, with where it leads and when.
    const pending = await page.getByTestId('pending-transfer').textContent();
    expect(pending).toContain('2099-01-01 起调往 WJ未来学院（校工会直属）');
    expect(pending).toContain('生效前仍属WJ测试分工会');

    // The leave: confirmed in a dialog, with a reason that stays in the history.
    await page.getByRole('button', { name: '办理退会' }).click();
    await page.getByLabel('退会原因（选填，会记入会籍变动）').fill('调离学校');
    await checkPage(page, 'member-leave-dialog');
    await page.getByRole('button', { name: '确认退会' }).click();
    await expect.poll(() => page.getByTestId('member-status').textContent()).toBe('已退会');
    expect(await history.locator('li').last().textContent()).toContain('说明：调离学校');
    expect(await page.getByRole('button', { name: '办理退会' }).count()).toBe(0);
    await checkPage(page, 'member-left');
    expect((await api('GET', `/members/${memberId}`, { token: officer })).body.status).toBe('left');

    // Enrolment by hand, into the officer's branch.
    const newcomer = uniqueId('WJN');
    await visit(page, '/admin/members/new', 'enrol');
    await page.getByLabel('工号').fill(newcomer);
    await page.getByLabel('姓名').fill('周建华');
    await choose(page, '性别', '男');
    await page.getByLabel('出生日期').fill('1988-04-12');
    await page.getByLabel('电子邮箱').fill(`${newcomer.toLowerCase()}@example.edu.cn`);
    await choose(page, '部门', `WJ测试学院（${dept}）· WJ测试分工会`);
    await choose(page, '人员类别', '教学');
    await choose(page, '用工性质', '合同制');
    await page.getByLabel('入职日期').fill('2025-03-01');
    await checkPage(page, 'enrol-filled');
    await page.getByRole('button', { name: '登记入会' }).click();
    await page.getByTestId('member-name').waitFor();
    expect(await page.getByTestId('member-name').textContent()).toBe('周建华');
    expect((await memberByEmployee(newcomer))?.branch).toEqual({ code: branch, name: 'WJ测试分工会' });
    await page.context().close();

    // The chair: a department no mapping covers is flagged first; mapping it takes it off.
    const unknown = uniqueId('WJU');
    await publish([hiredEvent(uniqueId('WJK'), { department: { code: unknown, name: 'WJ新设研究院' } })]);
    await waitIdle();
    const chairPage = await signInAs(browser, { sub: uniqueId('WJC'), roles: ['chair'] });
    await visit(chairPage, '/admin/departments', 'departments');
    const flagged = chairPage.getByTestId('unknown-departments');
    const row = flagged.locator(`tr[data-row="${unknown}"]`);
    expect(await row.locator('[data-col=members]').textContent()).toBe('1');
    await choose(chairPage, '为 WJ新设研究院 选择分工会', `WJ测试分工会（${branch}）`);
    await row.getByRole('button', { name: '对应' }).click();
    await chairPage.getByText('已将 WJ新设研究院 对应到 WJ测试分工会。').waitFor();
    await expect.poll(() => row.count()).toBe(0);
    expect(await chairPage.getByTestId('department-map').textContent()).toContain('WJ新设研究院');
    await checkPage(chairPage, 'departments-mapped');
    const after = await api('GET', '/departments', { token: chair });
    expect(after.body.items).toContainEqual(
      expect.objectContaining({ departmentCode: unknown, branch: { code: branch, name: 'WJ测试分工会' } }),
    );
    await chairPage.context().close();

    // An officer reads the map: no buttons at all.
    const reader = await signInAs(browser, { sub: uniqueId('WJR'), roles: ['officer'], branch });
    await visit(reader, '/admin/departments', 'departments-officer');
    expect(await reader.getByRole('button', { name: /对应|修改|添加对应/ }).count()).toBe(0);
    expect(await reader.locator('main').getByRole('combobox').count()).toBe(0);
    await reader.context().close();
  }, 300_000);
});
