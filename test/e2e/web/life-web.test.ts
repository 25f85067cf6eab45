/**
 * Union life in the browser, each person in their own context signed in through /dev/sign-in:
 * (1) an officer publishes a small activity through the page, a member registers with family and
 * fills it, two more register and see their waiting positions, the first cancels and the next
 * in line is promoted (issue 11's journey), the officer reads the participants and downloads the
 * CSV; (2) the chair opens a mutual-aid window with the fee in yuan, members opt in and change
 * their mind, the chair downloads the insurer's CSV; (3) the chair starts an award, an officer
 * nominates, the committee shortlists, members vote (a second vote is refused on the page), and
 * the results call out a tie at the cut-off. axe and screenshots on every page (browser.ts).
 *
 * Windows are dates and the runtime's clock is the real one: as test/e2e/awards.test.ts does,
 * the award's stored windows are moved (straight in DynamoDB Local) as if the calendar had turned.
 */
import { readFileSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/keys.ts';
import { api, db, hiredEvent, publish, runtime, token, uniqueId, waitIdle } from '../support.ts';
import { baseUrl, checkPage, fieldError, launchBrowser, screenshotsFor, signInAs, visit } from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);

/** A day in Shanghai, some days from today (YYYY-MM-DD). */
const day = (offset: number) =>
  new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

let chairToken: string;
let branch: string;
let otherBranch: string;
const people = new Map<string, string>(); // 工号 → name

/** Members hired into a department of `branchCode`, with their names, enrolled before the test goes on. */
const hire = async (dept: string, entries: Array<[string, string]>) => {
  await publish(
    entries.map(([id, name]) => hiredEvent(id, { name, department: { code: dept, name: '生活学院' } })),
  );
  for (const [id, name] of entries) people.set(id, name);
};

beforeAll(async () => {
  browser = await launchBrowser();
  chairToken = await token(uniqueId('LWCH'), 'chair');
  branch = uniqueId('LWB');
  otherBranch = `${branch}X`;
  const dept = uniqueId('LWD');
  for (const [code, b, name] of [
    [dept, branch, '生活分工会'],
    [`${dept}X`, otherBranch, '另一分工会'],
  ] as const) {
    const mapped = await api('PUT', `/departments/${code}`, {
      token: chairToken,
      body: { departmentName: '生活学院', branch: { code: b, name } },
    });
    expect(mapped.status).toBe(200);
  }
  ids.a = uniqueId('LWA');
  ids.b = uniqueId('LWBB');
  ids.c = uniqueId('LWC');
  ids.m1 = uniqueId('LWM1');
  ids.m2 = uniqueId('LWM2');
  ids.n1 = uniqueId('LWN1');
  ids.n2 = uniqueId('LWN2');
  ids.n3 = uniqueId('LWN3');
  ids.v1 = uniqueId('LWV1');
  ids.v2 = uniqueId('LWV2');
  ids.v3 = uniqueId('LWV3');
  ids.outsider = uniqueId('LWO');
  await hire(dept, [
    [ids.a, '王芳'],
    [ids.b, '李强'],
    [ids.c, '赵敏'],
    [ids.m1, '陈静'],
    [ids.m2, '刘洋'],
    [ids.n1, '周婷'],
    [ids.n2, '吴刚'],
    [ids.n3, '郑爽'],
    [ids.v1, '孙悦'],
    [ids.v2, '钱进'],
    [ids.v3, '冯晓'],
  ]);
  await hire(`${dept}X`, [[ids.outsider, '何平']]);
  await waitIdle();
});
afterAll(async () => {
  await browser?.close();
});

const ids: Record<string, string> = {};
const member = (id: string) => signInAs(browser, { sub: id, roles: ['member'] });

/** The member's status line on an activity's page, once loaded. */
const statusOf = async (page: Page) => {
  const el = page.getByTestId('my-status');
  await el.waitFor();
  return { status: await el.getAttribute('data-status'), text: (await el.textContent())?.trim() ?? '' };
};

/** A poll with room for a loaded machine (vitest's default gives up after one second). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000, interval: 100 });

/** Opens a page already checked in another state or for another person (checkPage costs seconds). */
const open = async (page: Page, path: string) => {
  await page.goto(`${baseUrl()}${path}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
};

/** Clicks a button that downloads a file; its text, as the browser saved it. */
const download = async (page: Page, testId: string) => {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
};

describe('union life in the browser', () => {
  it('puts a member on the waiting list of a full activity with their position, and promotes them when someone cancels', async () => {
    const title = `教职工亲子趣味运动会 ${branch}`;
    // The branch officer publishes it through the page: two places, family welcome.
    const officer = await signInAs(browser, { sub: uniqueId('LWOF'), roles: ['officer'], branch });
    await visit(officer, '/life/activities/new', 'activity-new');
    expect(await officer.getByTestId('own-branch').textContent()).toContain(branch);
    await officer.getByLabel('活动名称').fill(title);
    await officer.getByLabel('地点').fill('东区田径场');
    await officer.getByLabel('名额（人）').fill('2');
    await officer.getByLabel('活动日期').fill(day(10));
    await officer.getByLabel('报名截止日').fill(day(12));
    await officer.getByText('会员可携带家属').click();
    await officer.getByRole('button', { name: '发布' }).click();
    // The close after the day: refused next to its field, nothing typed is lost.
    expect(await fieldError(officer, '报名截止日')).toBe('报名截止日不能晚于活动日期');
    expect(await officer.getByLabel('活动名称').inputValue()).toBe(title);
    await checkPage(officer, 'activity-new-error');
    await officer.getByLabel('报名截止日').fill(day(5));
    await officer.getByRole('button', { name: '发布' }).click();
    await officer.getByTestId('activity-title').waitFor();
    const id = officer.url().split('/').pop()!;
    await checkPage(officer, 'activity-officer');

    // A: with a family member, whose name is required; then the two places are taken.
    const a = await member(ids.a!);
    await open(a, '/life/activities');
    await a.getByRole('link', { name: title }).click();
    await a.getByTestId('activity-title').waitFor();
    expect((await statusOf(a)).status).toBe('none');
    await a.getByRole('button', { name: '添加家属' }).click();
    expect(await a.getByRole('combobox', { name: '家属 1 关系' }).count()).toBe(1);
    // Element's select takes the click on its box, over the input.
    await a.locator('.gh-family-relation .el-select').click();
    await a.getByRole('option', { name: '配偶' }).click();
    expect(await a.getByTestId('family-places').textContent()).toContain('共 2 个名额');
    await checkPage(a, 'activity-register-family');
    await a.getByRole('button', { name: '报名', exact: true }).click();
    expect(await fieldError(a, '家属 1 姓名')).toBe('必填，不能为空');
    await checkPage(a, 'activity-register-family-error');
    await a.getByLabel('家属 1 姓名').fill('李梅');
    await a.getByRole('button', { name: '报名', exact: true }).click();
    await eventually(async () => (await statusOf(a)).status).toBe('confirmed');
    expect(await a.getByTestId('my-registration').textContent()).toContain('李梅（配偶）');
    await checkPage(a, 'activity-confirmed');

    // B and C find it full: the page says they will wait, then shows each their position.
    const b = await member(ids.b!);
    await visit(b, `/life/activities/${id}`, 'activity-full');
    expect(await b.getByTestId('places').textContent()).toContain('已满');
    await b.getByText('名额已不足').waitFor();
    await b.getByRole('button', { name: '报名（进入候补）' }).click();
    await eventually(async () => (await statusOf(b)).status).toBe('waiting');
    expect(await b.getByTestId('my-position').textContent()).toBe('候补第 1 位');
    await checkPage(b, 'activity-waiting');
    const c = await member(ids.c!);
    await open(c, `/life/activities/${id}`);
    await c.getByRole('button', { name: '报名（进入候补）' }).click();
    await eventually(async () => (await statusOf(c)).status).toBe('waiting');
    expect(await c.getByTestId('my-position').textContent()).toBe('候补第 2 位');
    await visit(c, '/life/activities', 'activities-list-full');
    const row = c.locator(`[data-activity="${id}"]`);
    expect(await row.getByTestId('places').textContent()).toContain('已满');
    expect(await row.getByTestId('waiting-count').textContent()).toBe('候补 2 人');

    // The officer sees who comes and who waits, as a table, and downloads the same as CSV.
    await visit(officer, `/life/activities/${id}/participants`, 'participants');
    expect(await officer.getByTestId('participant-totals').textContent()).toContain(
      '占 2/2 个名额；候补 2 人',
    );
    const confirmed = officer.getByTestId('confirmed-table');
    expect(await confirmed.locator(`[data-row="${ids.a}"]`).textContent()).toContain('李梅（配偶）');
    expect(await officer.getByTestId('waiting-table').locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining(ids.b!),
      expect.stringContaining(ids.c!),
    ]);
    const csv = await download(officer, 'download-csv');
    expect(csv.name).toBe(`activity-${id}.csv`);
    const rows = parseCsv(csv.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.employeeId, r.status, r.position, r.places, r.familyMembers])).toEqual([
      [ids.a, 'confirmed', '', '2', '李梅 (spouse)'],
      [ids.b, 'waiting', '1', '1', ''],
      [ids.c, 'waiting', '2', '1', ''],
    ]);

    // A cancels: two places free; B is promoted first, then C (one place each fits).
    await a.getByTestId('cancel').click();
    await eventually(async () => (await statusOf(a)).status).toBe('none');
    await a.getByText('已取消报名').waitFor();
    await checkPage(a, 'activity-cancelled');
    await b.reload();
    await eventually(async () => (await statusOf(b)).status).toBe('confirmed');
    expect(await b.getByTestId('my-registration').textContent()).toContain('已由候补转为正式报名');
    await checkPage(b, 'activity-promoted');
    // The same in English, one click away.
    await b.getByRole('button', { name: '切换语言' }).click();
    await b.getByText('Moved up from the waiting list').waitFor();
    expect(await b.getByTestId('places').textContent()).toContain('Full (2 places)');
    await checkPage(b, 'activity-promoted-en');
    await c.goto(`${baseUrl()}/life/activities/${id}`);
    await eventually(async () => (await statusOf(c)).status).toBe('confirmed');

    // A registers again alone: now the one waiting, first in line.
    await a.getByRole('button', { name: '报名（进入候补）' }).click();
    await eventually(async () => (await statusOf(a)).status).toBe('waiting');
    expect(await a.getByTestId('my-position').textContent()).toBe('候补第 1 位');

    // A member of another branch is refused, and says why; a member cannot open the organisers' pages.
    const outsider = await member(ids.outsider!);
    await open(outsider, `/life/activities/${id}`);
    await outsider.getByRole('button', { name: /报名/ }).click();
    await outsider.getByRole('alert').filter({ hasText: '该活动仅限本分工会会员' }).waitFor();
    await checkPage(outsider, 'activity-refused');
    await visit(outsider, '/life/activities/new', 'activity-new-forbidden');
    await outsider.getByTestId('forbidden').waitFor();
    await Promise.all([officer, a, b, c, outsider].map((p) => p.context().close()));
  });

  it('lets the chair open mutual aid with the fee in yuan, members opt in and change their mind, and the insurer gets the CSV', async () => {
    // A year of its own (the API tests use 2032, 2033, 2061-2063).
    const year = 2071;
    const chair = await signInAs(browser, { sub: uniqueId('LWCH'), roles: ['chair'] });
    await visit(chair, `/life/manage/mutual-aid?year=${year}`, 'mutual-aid-manage-empty');
    await chair.getByTestId('no-window').waitFor();
    // Not the mutual-aid API test's dates (its reminder mails are counted by their close date).
    await chair.getByLabel('登记截止日').fill(day(9));
    await chair.getByLabel('提醒（截止前天数）').fill('4');
    await chair.getByLabel('每人费用').fill('30.555');
    expect(await chair.getByTestId('yuan-hint').textContent()).toBe('请输入金额（元），最多两位小数');
    await chair.getByRole('button', { name: '开放登记' }).last().click();
    expect(await fieldError(chair, '每人费用')).toBeTruthy();
    expect(await chair.getByLabel('每人费用').inputValue()).toBe('30.555');
    await checkPage(chair, 'mutual-aid-manage-error');
    // Full-width digits, as a Chinese keyboard may type them.
    await chair.getByLabel('每人费用').fill('３０．５');
    expect(await chair.getByTestId('yuan-hint').textContent()).toBe('即每人 30.50 元');
    await chair.getByRole('button', { name: '开放登记' }).last().click();
    await eventually(() => chair.getByTestId('current-fee').textContent()).toBe('每人 30.50 元');
    expect(await chair.getByTestId('window-current').textContent()).toContain(
      '截止前 4 天提醒尚未选择的会员',
    );
    await checkPage(chair, 'mutual-aid-manage-open');

    // M1 opts in; M2 opts in, then changes their mind.
    const m1 = await member(ids.m1!);
    await visit(m1, `/life/mutual-aid?year=${year}`, 'mutual-aid-undecided');
    expect(await m1.getByTestId('fee').textContent()).toBe('每人 30.50 元');
    expect(await m1.getByTestId('my-choice').getAttribute('data-choice')).toBe('none');
    await m1.getByTestId('opt-in').click();
    await eventually(() => m1.getByTestId('my-choice').getAttribute('data-choice')).toBe('in');
    await checkPage(m1, 'mutual-aid-in');
    const m2 = await member(ids.m2!);
    await open(m2, `/life/mutual-aid?year=${year}`);
    await m2.getByTestId('opt-in').click();
    await eventually(() => m2.getByTestId('my-choice').getAttribute('data-choice')).toBe('in');
    await m2.getByRole('button', { name: '改为不参加' }).click();
    await eventually(() => m2.getByTestId('my-choice').getAttribute('data-choice')).toBe('out');
    expect(await m2.getByTestId('my-choice').textContent()).toContain('已更改 1 次');
    await checkPage(m2, 'mutual-aid-changed');
    await m2.reload();
    await eventually(() => m2.getByTestId('my-choice').getAttribute('data-choice')).toBe('out');

    // The chair downloads the insurer's list: M1, not M2, with the fee in yuan.
    const csv = await download(chair, 'download-enrolled');
    expect(csv.name).toBe(`mutual-aid-${year}.csv`);
    const rows = parseCsv(csv.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows).toEqual([{ 姓名: '陈静', 工号: ids.m1, 分工会: '生活分工会', '费用（元）': '30.50' }]);
    // A member does not get the chair's page.
    await visit(m1, `/life/manage/mutual-aid?year=${year}`, 'mutual-aid-manage-forbidden');
    await m1.getByTestId('forbidden').waitFor();
    await Promise.all([chair, m1, m2].map((p) => p.context().close()));
  });

  it('runs an award from nomination to results, refusing a second vote and calling out a tie at the cut-off', async () => {
    const title = `2026年度“最美家庭” ${branch}`;
    const chair = await signInAs(browser, { sub: uniqueId('LWCH'), roles: ['chair'] });
    await visit(chair, '/life/awards/new', 'award-new');
    await chair.getByLabel('评选名称').fill(title);
    await chair.getByLabel('评选名额').fill('1');
    await chair.getByRole('button', { name: '发起评选' }).click();
    await chair.getByTestId('award-title').waitFor();
    const id = chair.url().split('/').pop()!;
    await checkPage(chair, 'award-nominating-chair');

    // The branch officer nominates three of their members by 工号; not someone of another branch.
    const officer = await signInAs(browser, { sub: uniqueId('LWOF'), roles: ['officer'], branch });
    await visit(officer, '/life/awards', 'awards-list');
    await officer.getByRole('link', { name: title }).click();
    await officer.getByTestId('nominate-form').waitFor();
    const nominate = async (employeeId: string) => {
      await officer.getByLabel('被提名人工号').fill(employeeId);
      await officer.getByLabel('推荐理由（事迹）').fill('家庭和睦，热心公益。');
      await officer.getByRole('button', { name: '提名', exact: true }).click();
    };
    await nominate(ids.outsider!);
    await officer.getByRole('alert').filter({ hasText: '只能提名本分工会会员' }).waitFor();
    expect(await officer.getByLabel('被提名人工号').inputValue()).toBe(ids.outsider);
    await nominate('NO-SUCH-MEMBER');
    expect(await fieldError(officer, '被提名人工号')).toBe('该工号不是在册会员');
    await checkPage(officer, 'award-nominate-error');
    for (const n of [ids.n1!, ids.n2!, ids.n3!]) {
      await nominate(n);
      await officer.getByText(`已提名 ${people.get(n)}`).waitFor();
    }
    await checkPage(officer, 'award-nominated');

    // Nominations closed, voting not yet open: the committee shortlists all three.
    await moveAward(id, { nomination: [-3, -1], voting: [1, 3] });
    const committee = await signInAs(browser, { sub: uniqueId('LWCM'), roles: ['committee'] });
    await visit(committee, `/life/awards/${id}`, 'award-shortlisting');
    for (const n of [ids.n1!, ids.n2!, ids.n3!]) {
      // Each box is named after its nominee; Element's input is hidden under its label, which takes the click.
      expect(await committee.getByRole('checkbox', { name: `${people.get(n)} 入围` }).count()).toBe(1);
      await committee.locator(`[data-row="${n}"] .el-checkbox`).click();
    }
    await committee.getByTestId('save-shortlist').click();
    await committee.getByText('已保存候选名单，共 3 人').waitFor();
    await checkPage(committee, 'award-shortlisted');

    // Voting: V1 for N1, V2 for N2; V3 opens the page, votes elsewhere meanwhile, and the page refuses a second.
    await moveAward(id, { nomination: [-5, -3], voting: [-1, 1] });
    const ballot = async (page: Page, nominee: string) => {
      await page.getByText(people.get(nominee)!, { exact: true }).first().click();
      await page.getByRole('button', { name: `投票给 ${people.get(nominee)}` }).click();
    };
    const v1 = await member(ids.v1!);
    await visit(v1, `/life/awards/${id}`, 'award-voting');
    await ballot(v1, ids.n1!);
    await v1.getByTestId('voted').waitFor();
    expect(await v1.getByTestId('vote-form').count()).toBe(0);
    await checkPage(v1, 'award-voted');
    const v2 = await member(ids.v2!);
    await open(v2, `/life/awards/${id}`);
    await ballot(v2, ids.n2!);
    await v2.getByTestId('voted').waitFor();
    const v3 = await member(ids.v3!);
    await open(v3, `/life/awards/${id}`);
    const elsewhere = await api('POST', `/awards/${id}/vote`, {
      token: await token(ids.v3!, 'member'),
      body: { nominationId: ids.n1 },
    });
    expect(elsewhere.status).toBe(201);
    // One more ballot, for N2, so that N1 and N2 finish level.
    const fourth = await api('POST', `/awards/${id}/vote`, {
      token: await token(ids.m2!, 'member'),
      body: { nominationId: ids.n2 },
    });
    expect(fourth.status).toBe(201);
    await ballot(v3, ids.n2!);
    const refused = v3.getByRole('alert').filter({ hasText: '当前状态不允许此操作' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('您已投票');
    await checkPage(v3, 'award-vote-409');

    // Voting closed: N1 and N2 have two votes each for one place, and the page says so.
    await moveAward(id, { nomination: [-6, -4], voting: [-2, -1] });
    await visit(chair, `/life/awards/${id}`, 'award-results');
    const tie = chair.getByTestId('tie-at-cutoff');
    await tie.waitFor();
    expect(await tie.textContent()).toContain('第 1 名出现并列');
    expect(await tie.textContent()).toMatch(/周婷、吴刚|吴刚、周婷/);
    expect(await chair.getByTestId('results-summary').textContent()).toBe(
      '共 4 票；评选名额 1 个，获评 2 人。',
    );
    const results = chair.getByTestId('results');
    expect(await results.locator(`[data-row="${ids.n3}"]`).textContent()).toContain('第 3 名');
    expect(await results.locator(`[data-row="${ids.n1}"]`).textContent()).toContain('并列');
    await open(v1, `/life/awards/${id}`);
    await v1.getByTestId('tie-at-cutoff').waitFor();
    await Promise.all([chair, officer, committee, v1, v2, v3].map((p) => p.context().close()));
  });
});

/** As if the calendar had turned: the award's windows moved relative to today. */
const moveAward = async (id: string, w: { nomination: [number, number]; voting: [number, number] }) => {
  await db().send(
    new UpdateCommand({
      TableName: runtime().tableName,
      Key: keys.award(id),
      UpdateExpression:
        'SET nominationOpensOn = :no, nominationClosesOn = :nc, votingOpensOn = :vo, votingClosesOn = :vc',
      ExpressionAttributeValues: {
        ':no': day(w.nomination[0]),
        ':nc': day(w.nomination[1]),
        ':vo': day(w.voting[0]),
        ':vc': day(w.voting[1]),
      },
    }),
  );
};
