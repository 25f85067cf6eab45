/** The member's home in the browser: their membership from GET /members/me, or why there is none. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiredEvent, memberByEmployee, publish, uniqueId, waitIdle } from '../support.ts';
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
    await page.context().close();
  });

  it('tells someone HR has not enrolled that there is no record, instead of an error', async () => {
    const page = await signInAs(browser, { sub: uniqueId('WNM'), roles: ['member'] });
    await visit(page, '/me', 'member-home-none');
    await page.getByText('系统中还没有您的会籍记录').waitFor();
    await page.context().close();
  });
});
