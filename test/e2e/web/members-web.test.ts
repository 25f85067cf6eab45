/** The member's home in the browser: their membership from GET /members/me, or why there is none. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, hiredEvent, memberByEmployee, publish, token, uniqueId, waitIdle } from '../support.ts';
import { launchBrowser, screenshotsFor, signInAs, visit } from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('my membership', () => {
  it('shows an enrolled member their number, branch, status and since when', async () => {
    const employeeId = uniqueId('WMH');
    await publish([hiredEvent(employeeId)]);
    await waitIdle();
    const stored = await memberByEmployee(employeeId);
    const page = await signInAs(browser, { sub: employeeId, roles: ['member'] });
    await visit(page, '/me', 'member-home');
    expect(await page.getByTestId('membership-number').textContent()).toBe(stored?.membershipNumber);
    const card = await page.getByTestId('membership').textContent();
    expect(card).toContain('在会');
    expect(card).toContain('黄丽萍');
    // No care yet this year: the card says so, not an error.
    expect(await page.getByTestId('my-care').textContent()).toContain('今年还没有慰问记录');
    await page.context().close();
  });

  it('lists the care the member received this year from the ledger: why, when and how much', async () => {
    const chair = await token(uniqueId('WMCH'), 'chair');
    const dept = uniqueId('WMD');
    const branch = uniqueId('WMB');
    const mapped = await api('PUT', `/departments/${dept}`, {
      token: chair,
      body: { departmentName: '关怀学院', branch: { code: branch, name: '关怀分工会' } },
    });
    expect(mapped.status).toBe(200);
    const employeeId = uniqueId('WMC');
    await publish([hiredEvent(employeeId, { department: { code: dept, name: '关怀学院' } })]);
    await waitIdle();
    const memberId = (await memberByEmployee(employeeId))!.memberId as string;
    // The branch officer reports a hospital stay today; the chair approves it: a grant in the ledger.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const reported = await api('POST', '/care/requests', {
      token: await token(uniqueId('WMOF'), 'officer', { branch }),
      body: { memberId, kind: 'hospital', date: today },
    });
    expect(reported.status).toBe(201);
    const approved = await api('POST', `/care/requests/${reported.body.id}/approve`, {
      token: chair,
      body: {},
    });
    expect(approved.status).toBe(200);
    await waitIdle();

    const page = await signInAs(browser, { sub: employeeId, roles: ['member'] });
    await visit(page, '/me', 'member-home-care');
    const care = page.getByTestId('my-care');
    await care.locator('[data-occasion]').first().waitFor();
    expect(await care.locator('[data-occasion]').allTextContents()).toEqual([
      expect.stringMatching(/住院慰问.*1,000\.00 元/),
    ]);
    expect(await page.getByTestId('care-total').textContent()).toBe('共 1 次，合计 1,000.00 元');
    await page.context().close();
  });

  it('tells someone HR has not enrolled that there is no record, instead of an error', async () => {
    const page = await signInAs(browser, { sub: uniqueId('WNM'), roles: ['member'] });
    await visit(page, '/me', 'member-home-none');
    await page.getByText('系统中还没有您的会籍记录').waitFor();
    await page.context().close();
  });
});
