/**
 * Care in the officers' console, in Chromium, each person in their own browser context:
 * 1. an officer files a hospital visit for a member of their branch, the chair approves it (and
 *    rejects another, with a reason), the ledger shows the grant and its total, the CSV downloads;
 * 2. the chair adds a policy version from next month and sees both versions, the one in force
 *    read-only (and a date before today refused on the page);
 * 3. an auditor reads the ledger with no action at all, and a settings address gives the 403 page;
 * 4. the chair adds a lunar occasion of the union's own and a working-day arrangement that moves
 *    its dispatch day, then removes the occasion.
 * axe and screenshots on every page (browser.ts).
 *
 * Care settings are shared by the whole runtime (one for every e2e file): whatever this file
 * stores there (a policy version in the past, one from next month, a year's working days) is put
 * back as it was at the end, so other files plan with the settings they expect.
 */
import { readFileSync } from 'node:fs';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/keys.ts';
import { DEFAULT_CARE_POLICY } from '../../../shared/domain/care/policy.ts';
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
import { checkPage, fieldError, launchBrowser, screenshotsFor, settle, signInAs, visit } from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(
  new Date(),
);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const thisYear = Number(today.slice(0, 4));
const [y, m] = today.split('-').map(Number) as [number, number];
const nextMonth = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;

const dept = uniqueId('CWD');
const branch = `B${dept}`;
const people = { patient: uniqueId('CWP'), groom: uniqueId('CWG') };
const officerId = uniqueId('CWO');
const chairId = uniqueId('CWC');
let membershipNumber = '';

// ---- the runtime's shared settings, put back as they were ----
const saved: Array<{ key: { PK: string; SK: string }; item: Record<string, unknown> | undefined }> = [];
const table = () => runtime().tableName;
const remember = async (key: { PK: string; SK: string }) => {
  const item = (await db().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }))).Item;
  saved.push({ key, item });
};

beforeAll(async () => {
  browser = await launchBrowser();
  const chair = await token(chairId, 'chair');
  expect(
    (
      await api('PUT', `/departments/${dept}`, {
        token: chair,
        body: { departmentName: '护理学院', branch: { code: branch, name: '护理学院分工会' } },
      })
    ).status,
  ).toBe(200);
  const department = { code: dept, name: '护理学院' };
  await publish([
    hiredEvent(people.patient, { name: '陈晓梅', department }),
    hiredEvent(people.groom, { name: '刘志强', gender: 'male', department }),
  ]);
  await waitIdle();
  membershipNumber = (await memberByEmployee(people.patient))!.membershipNumber as string;
});

afterAll(async () => {
  for (const { key, item } of saved.reverse()) {
    if (item) await db().send(new PutCommand({ TableName: table(), Item: item }));
    else await db().send(new DeleteCommand({ TableName: table(), Key: key }));
  }
  await browser?.close();
});

/** Clicks a radio by its text (Element's radios draw their own circle over the real input). */
const choose = (page: Page | ReturnType<Page['locator']>, text: string | RegExp) =>
  page.locator('label.el-radio, label.el-radio-button').filter({ hasText: text }).first().click();

/** A row of the requests table by whom it is for. */
const requestRow = (page: Page, name: string) => page.locator('tbody tr').filter({ hasText: name });

describe('care in the browser', () => {
  it('an officer files a hospital visit for a member of their branch, the chair approves it, the ledger shows it, the CSV downloads', async () => {
    const officer = await signInAs(browser, { sub: officerId, roles: ['officer'], branch });
    await checkPage(officer, 'home-officer');
    await visit(officer, '/admin/care/requests', 'requests-officer-empty');
    await officer.getByText('没有这一状态的慰问申请').waitFor();
    await officer.getByRole('link', { name: '上报慰问申请' }).click();
    await officer.getByRole('heading', { name: '上报慰问申请' }).waitFor();
    await checkPage(officer, 'request-form');

    // No member chosen: said next to the search, and nothing is sent.
    await officer.getByRole('button', { name: '提交申请' }).click();
    expect(await fieldError(officer, '慰问对象')).toBe('请先查找并选择会员');

    await officer.getByLabel('查找会员（姓名、工号开头或会员证号）').fill('陈晓梅');
    await officer.getByRole('button', { name: '查找' }).click();
    await choose(officer, '陈晓梅');
    await choose(officer, '住院');
    await officer.getByLabel('事由日期').fill(today);
    await officer.getByLabel('备注（选填）').fill('因病住院手术，分工会前往探望。');
    await checkPage(officer, 'request-form-filled');
    await officer.getByRole('button', { name: '提交申请' }).click();
    await officer.waitForURL(/\/admin\/care\/requests\?status=pending&filed=/);
    const id = new URL(officer.url()).searchParams.get('filed')!;
    const filed = officer.locator(`tr[data-row="${id}"]`);
    await filed.waitFor();
    expect(await filed.textContent()).toContain('陈晓梅');
    expect(await filed.textContent()).toContain('按政策 ¥1,000.00');
    expect(await filed.textContent()).toContain('待审批');
    expect(await filed.textContent()).toContain('待工会主席审批');
    await officer.getByText('申请已上报，等待工会主席审批。').waitFor();
    await checkPage(officer, 'requests-filed');

    // A second one, for the wedding of another member: the chair will reject it.
    await officer.getByRole('link', { name: '上报慰问申请' }).click();
    await officer.getByLabel('查找会员（姓名、工号开头或会员证号）').fill('刘志强');
    await officer.getByRole('button', { name: '查找' }).click();
    await choose(officer, '刘志强');
    await choose(officer, '结婚');
    await officer.getByRole('button', { name: '提交申请' }).click();
    await officer.waitForURL(/filed=/);

    // The chair sees both pending, approves the hospital visit, rejects the wedding with a reason.
    const chair = await signInAs(browser, { sub: chairId, roles: ['chair'] });
    await visit(chair, '/admin/care/requests', 'requests-chair');
    const row = chair.locator(`tr[data-row="${id}"]`);
    await row.getByRole('button', { name: '批准' }).click();
    expect(await row.textContent()).toContain('批准后将为陈晓梅发放 ¥1,000.00');
    await checkPage(chair, 'request-approve-confirm');
    await row.getByRole('button', { name: '确认批准' }).click();
    await row.waitFor({ state: 'detached' });

    const wedding = requestRow(chair, '刘志强');
    await wedding.getByRole('button', { name: '驳回' }).click();
    await wedding.getByRole('button', { name: '确认驳回' }).click();
    expect(await fieldError(chair, '驳回理由')).toBe('必填，不能为空');
    await checkPage(chair, 'request-reject-reason');
    await wedding.getByLabel('驳回理由').fill('结婚登记日期早于入会日期，不符合慰问条件。');
    await wedding.getByRole('button', { name: '确认驳回' }).click();
    await wedding.waitFor({ state: 'detached' });

    await choose(chair, '已批准');
    await chair.waitForURL(/status=approved/);
    const approved = chair.locator(`tr[data-row="${id}"]`);
    await approved.waitFor();
    expect(await approved.textContent()).toContain('实发 ¥1,000.00');
    expect(await approved.textContent()).toContain(`审批人：${chairId}`);
    await checkPage(chair, 'requests-approved');
    await choose(chair, '已驳回');
    await requestRow(chair, '刘志强').getByText('驳回理由：结婚登记日期早于入会日期').waitFor();
    await checkPage(chair, 'requests-rejected');

    // The officer sees what the chair left.
    await visit(officer, '/admin/care/requests?status=all', 'requests-officer-all');
    expect(await officer.locator(`tr[data-row="${id}"]`).textContent()).toContain('已批准');
    expect(await requestRow(officer, '刘志强').textContent()).toContain('已驳回');

    // The ledger: the grant and its total, for the chair (this branch) and the officer (their branch).
    await waitIdle();
    await visit(chair, `/admin/care/ledger?year=${thisYear}&branch=${branch}`, 'ledger-chair');
    const totals = chair.getByTestId('ledger-totals');
    const hospital = totals.locator(`tr[data-row="${branch}#hospital"]`);
    expect(await hospital.textContent()).toContain('住院慰问');
    expect(await hospital.locator('[data-col=entries]').textContent()).toBe('1');
    expect(await hospital.locator('[data-col=amount]').textContent()).toBe('¥1,000.00');
    expect(await chair.getByTestId('ledger-totals').locator('tfoot').textContent()).toContain('¥1,000.00');
    const entries = await chair.getByTestId('ledger-entries').textContent();
    expect(entries).toContain(membershipNumber);
    expect(entries).toContain('全额');

    await visit(officer, '/admin/care/ledger', 'ledger-officer');
    expect(await officer.getByTestId('ledger-totals').locator('tfoot').textContent()).toContain('¥1,000.00');
    const [download] = await Promise.all([
      officer.waitForEvent('download'),
      officer.getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`care-ledger-${thisYear}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('金额元_amountYuan');
    expect(lines.find((l) => l.includes(membershipNumber))).toMatch(
      /,hospital:[^,]+,住院慰问,[^,]*,1000\.00,/,
    );
    expect(lines.at(-1)).toMatch(/合计 total,,1000\.00,/);
    await Promise.all([officer, chair].map((p) => p.context().close()));
  });

  it('the chair adds a policy version from next month and sees both versions, the one in force read-only', async () => {
    // A version in force since a month ago (the past), as a union that has used the console would have.
    const past = addDays(today, -30);
    await remember(keys.carePolicy(past));
    await remember(keys.carePolicy(nextMonth));
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.carePolicy(past),
          entity: 'Setting',
          policy: {
            ...DEFAULT_CARE_POLICY,
            effectiveFrom: past,
            updatedAt: `${past}T01:00:00Z`,
            updatedBy: chairId,
          },
        },
      }),
    );

    const chair = await signInAs(browser, { sub: chairId, roles: ['chair'] });
    await visit(chair, '/admin/care/settings', 'policy-versions');
    expect(await chair.getByTestId('policy-rules').textContent()).toContain(
      `今天（${today}）以前生效的版本已经用于发放，不能修改`,
    );
    const inForce = chair.locator(`[data-version="${past}"]`);
    expect(await inForce.getAttribute('data-state')).toBe('in_force');
    expect(await inForce.getByTestId('version-locked').textContent()).toBe(`已于 ${past} 生效，不可修改。`);
    expect(await inForce.getByRole('link', { name: '修改此版本' }).count()).toBe(0);
    await inForce.getByRole('link', { name: '新增更晚的版本' }).waitFor();

    await chair.getByRole('link', { name: '新增政策版本' }).click();
    await chair.getByRole('heading', { name: '新增政策版本' }).waitFor();
    await settle(chair);
    expect(await chair.getByLabel('生效日期').inputValue()).toBe(nextMonth);
    expect(await chair.getByTestId('policy-based-on').textContent()).toContain(
      `表单已按${past} 起的版本填好`,
    );
    expect(await chair.getByLabel('住院慰问（元）').inputValue()).toBe('1000');
    expect(await chair.getByLabel('节日慰问上限（元）').inputValue()).toBe('2000');
    await checkPage(chair, 'policy-form');

    // A date before today: the page says so before anyone tries, and offers no save.
    await chair.getByLabel('生效日期').fill(addDays(today, -1));
    expect(await fieldError(chair, '生效日期')).toContain('生效日期早于今天：已生效的政策不可更改');
    expect(await chair.getByRole('button', { name: '保存版本' }).isDisabled()).toBe(true);
    await checkPage(chair, 'policy-form-past-date');

    await chair.getByLabel('生效日期').fill(nextMonth);
    await chair.getByLabel('住院慰问（元）').fill('1200');
    await chair.getByLabel('中秋节 金额（元）').fill('350');
    await chair.getByRole('button', { name: '保存版本' }).click();
    await chair.waitForURL(/\/admin\/care\/settings\?saved=/);
    await chair.getByText(`已保存 ${nextMonth} 起生效的版本。`).waitFor();
    const scheduled = chair.locator(`[data-version="${nextMonth}"]`);
    await scheduled.waitFor();
    expect(await scheduled.getAttribute('data-state')).toBe('scheduled');
    expect(await scheduled.textContent()).toContain('待生效');
    expect(await scheduled.locator('[data-life=hospital]').textContent()).toBe('¥1,200.00');
    await scheduled.getByRole('link', { name: '修改此版本' }).waitFor();
    expect(await chair.locator(`[data-version="${past}"]`).getAttribute('data-state')).toBe('in_force');
    expect(await chair.locator(`[data-version="${past}"] [data-life=hospital]`).textContent()).toBe(
      '¥1,000.00',
    );
    await checkPage(chair, 'policy-versions-both');

    // What was left alone carried over; the API agrees.
    const stored = await api('GET', '/care/policy', { token: await token(chairId, 'chair') });
    const v = stored.body.versions.find((x: { effectiveFrom: string }) => x.effectiveFrom === nextMonth);
    expect(v).toMatchObject({
      state: 'scheduled',
      editable: true,
      caps: DEFAULT_CARE_POLICY.caps,
      lifeEvents: { ...DEFAULT_CARE_POLICY.lifeEvents, hospital: { amountFen: 120_000 } },
      occasions: {
        mid_autumn: { amountFen: 35_000, gift: '月饼礼盒' },
        spring_festival: { amountFen: 50_000 },
      },
    });

    // The version in force opened for a change: the page offers only a later one.
    await visit(chair, `/admin/care/settings/policy/new?edit=${past}`, 'policy-locked');
    expect(await chair.getByTestId('policy-locked').textContent()).toContain(
      `${past} 起的版本已经生效，不可修改`,
    );
    expect(await chair.getByRole('button', { name: '保存版本' }).count()).toBe(0);
    await chair.context().close();
  });

  it('an auditor reads the ledger with no action to take, and a settings address gives the 403 page', async () => {
    const auditor = await signInAs(browser, { sub: uniqueId('CWA'), roles: ['auditor'] });
    const calls: string[] = [];
    auditor.on('request', (r) => {
      if (r.url().includes('/api/')) calls.push(new URL(r.url()).pathname);
    });
    await checkPage(auditor, 'home-auditor');
    const links = await auditor.getByRole('navigation').first().getByRole('link').allTextContents();
    expect(links).toContain('慰问台账');
    expect(links.filter((l) => l === '慰问申请' || l === '慰问设置')).toEqual([]);

    await visit(auditor, `/admin/care/ledger?year=${thisYear}&branch=${branch}`, 'ledger-auditor');
    expect(await auditor.getByTestId('ledger-totals').locator('tfoot').textContent()).toContain('¥1,000.00');
    await auditor.getByText('只读：可查看和下载，不能修改。').waitFor();
    // Only the filters' button and the download: nothing that changes anything.
    const main = auditor.locator('#main');
    expect((await main.getByRole('button').allTextContents()).map((s) => s.trim()).sort()).toEqual(
      ['下载 CSV', '查询'].sort(),
    );
    expect(await main.getByRole('link').count()).toBe(0);
    const [download] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor.getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    expect(readFileSync((await download.path())!, 'utf8')).toContain(membershipNumber);

    // Filtering by occasion through the page.
    await auditor.getByLabel('项目').selectOption({ label: '中秋节' });
    await auditor.getByRole('button', { name: '查询' }).click();
    await auditor.waitForURL(/occasion=mid_autumn/);
    await auditor.getByText('该条件下没有慰问记录').waitFor();
    await checkPage(auditor, 'ledger-auditor-filtered');

    calls.length = 0;
    for (const path of ['/admin/care/settings', '/admin/care/settings/workdays', '/admin/care/requests']) {
      await visit(auditor, path, `forbidden-auditor${path.replaceAll('/', '-')}`);
      expect(await auditor.getByTestId('forbidden').textContent()).toContain('工会主席');
    }
    expect(calls).toEqual([]);
    await auditor.context().close();

    const member = await signInAs(browser, { sub: people.patient, roles: ['member'] });
    await visit(member, '/admin/care/ledger', 'forbidden-member-ledger');
    expect(await member.getByTestId('forbidden').textContent()).toContain('经审委员会');
    await member.context().close();
  });

  it('the chair adds a lunar occasion of the union’s own and a working-day arrangement that moves its dispatch day', async () => {
    const occasion = `sanyuesan_${uniqueId('').toLowerCase()}`;
    const chairToken = await token(chairId, 'chair');
    const chair = await signInAs(browser, { sub: chairId, roles: ['chair'] });
    await visit(chair, '/admin/care/settings/occasions', 'occasions');
    await chair.getByLabel('名称', { exact: true }).fill('三月三');
    await chair.getByLabel('标识（英文）').fill(occasion);
    await choose(chair, '农历');
    await chair.getByLabel('月', { exact: true }).selectOption({ label: '三月' });
    await chair.getByLabel('日', { exact: true }).selectOption({ label: '初三' });
    await chair.getByLabel('金额（元）').fill('88');
    await chair.getByLabel('慰问品（选填）').fill('五色糯米饭');
    await checkPage(chair, 'occasion-form');
    await chair.getByRole('button', { name: '添加节日' }).click();
    await chair.getByText('已添加“三月三”。').waitFor();
    const row = chair.locator(`tr[data-row="${occasion}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('农历三月初三');
    expect(await row.textContent()).toContain('¥88.00');
    expect(await row.textContent()).toContain('本会');
    const listed = async () =>
      (await api('GET', '/care/occasions', { token: chairToken })).body.items.find(
        (o: { occasion: string }) => o.occasion === occasion,
      ).next as { date: string; dispatchDate: string; arrangementKnown: boolean };
    const before = await listed();
    expect(await row.locator('[data-dispatch]').getAttribute('data-dispatch')).toBe(before.dispatchDate);
    expect(await row.textContent()).toContain(`节日 ${before.date}`);
    await checkPage(chair, 'occasions-added');

    // The State Council makes the dispatch day a rest day: the gifts go out on the working day before.
    const year = Number(before.dispatchDate.slice(0, 4));
    await remember(keys.careWorkdays(year));
    await visit(chair, `/admin/care/settings/workdays?year=${year}`, 'workdays');
    expect(await chair.getByTestId('workdays-rule').textContent()).toContain(
      `今天（${today}）以前的日子保持原样，不能更改或删除`,
    );
    await chair.getByLabel('日期', { exact: true }).fill(`${year + 1}-01-05`);
    await chair.getByRole('button', { name: '添加', exact: true }).click();
    await chair.getByText(`日期须在 ${year} 年内`).waitFor();
    await chair.getByLabel('日期', { exact: true }).fill(before.dispatchDate);
    await choose(chair, '放假（休息）');
    await chair.getByRole('button', { name: '添加', exact: true }).click();
    await chair.getByText('有未保存的更改：保存后才生效。').waitFor();
    await checkPage(chair, 'workdays-unsaved');
    await chair.getByRole('button', { name: '保存安排' }).click();
    await chair.getByText(`已保存 ${year} 年的安排。`).waitFor();
    expect(await chair.locator('[data-source]').getAttribute('data-source')).toBe('override');
    expect(await chair.getByTestId('workdays').textContent()).toContain(before.dispatchDate);
    await checkPage(chair, 'workdays-saved');

    const after = await listed();
    expect(after.dispatchDate < before.dispatchDate).toBe(true);
    expect(after.arrangementKnown).toBe(true);
    await visit(chair, '/admin/care/settings/occasions', 'occasions-moved');
    expect(
      await chair.locator(`tr[data-row="${occasion}"] [data-dispatch]`).getAttribute('data-dispatch'),
    ).toBe(after.dispatchDate);

    // Removed again (its grants, had there been any, stay in the ledger).
    await chair.locator(`tr[data-row="${occasion}"]`).getByRole('button', { name: '删除' }).click();
    await checkPage(chair, 'occasion-remove-confirm');
    await chair.locator(`tr[data-row="${occasion}"]`).getByRole('button', { name: '确认删除' }).click();
    await chair.locator(`tr[data-row="${occasion}"]`).waitFor({ state: 'detached' });
    await chair.context().close();
  });
});
