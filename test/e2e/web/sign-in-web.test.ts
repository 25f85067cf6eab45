/**
 * Signing in as a person does, through the local OpenID provider's own page (the same flow as the
 * university SSO on AWS: authorization code + PKCE), signing out, and /dev/sign-in's checks.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueId } from '../support.ts';
import { baseUrl, checkPage, DESKTOP, launchBrowser, newPage, screenshotsFor } from './browser.ts';

let browser: Browser;
screenshotsFor(import.meta.filename);
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('sign-in in the browser', () => {
  it('goes from the app to the provider’s page and back signed in, keeps nothing in localStorage but the language, and signs out', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await newPage(context);
    await page.goto(`${baseUrl()}/proposals`);
    await page.waitForURL(/\/signin\?returnTo=/);
    await checkPage(page, 'sign-in');
    await page.getByRole('button', { name: '登录' }).click();

    // The provider's page: a 工号 and roles; without a role it says so and keeps the 工号.
    const sub = uniqueId('SI');
    await page.getByLabel('工号 / Staff number').fill(sub);
    await page.getByLabel('会员 member').uncheck();
    await page.getByRole('button', { name: '登录 / Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'roles: at least one' }).waitFor();
    expect(await page.getByLabel('工号 / Staff number').inputValue()).toBe(sub);
    await page.getByLabel('教代会代表 delegate').check();
    await page.getByRole('button', { name: '登录 / Sign in' }).click();

    // Back where the user was going, signed in with those roles.
    await page.waitForURL(`${baseUrl()}/proposals`);
    await page.getByRole('heading', { name: '提案' }).waitFor();
    expect(await page.locator('.gh-who').textContent()).toContain(`${sub}（教代会代表）`);
    await checkPage(page, 'proposals-after-sign-in');
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage).some((k) => k.startsWith('oidc.user:')),
    }));
    expect(stored.local.filter((k) => k !== 'gonghui.locale')).toEqual([]);
    expect(stored.session).toBe(true);

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: '退出 / Sign out' }).click();
    await page.waitForURL(`${baseUrl()}/signed-out`);
    await page.getByRole('heading', { name: '您已退出登录' }).waitFor();
    await checkPage(page, 'signed-out');
    await page.goto(`${baseUrl()}/proposals`);
    await page.waitForURL(/\/signin\?returnTo=/);
    await context.close();
  });

  it('/dev/sign-in refuses roles it does not know and a department without its code', async () => {
    for (const query of ['sub=T1&roles=president', 'sub=T1&roles=department', 'sub=&roles=member']) {
      const res = await fetch(`${baseUrl()}/dev/sign-in?${query}`, { redirect: 'manual' });
      expect(res.status, query).toBe(400);
    }
    const ok = await fetch(`${baseUrl()}/dev/sign-in?sub=T1&roles=member`, { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/signin?prompt=login');
  });
});
