/**
 * Browser tests of the web app: Debian's Chromium driven by playwright-core against the shared
 * embedded runtime (test/e2e/global-setup.ts). For every page test:
 *   const browser = await launchBrowser();                  // one Chromium per file (beforeAll)
 *   const page = await signInAs(browser, { sub, roles });    // its own context, through /dev/sign-in
 *   await visit(page, '/proposals', 'proposals-list');       // open, then checkPage()
 *   await checkPage(page, 'after-submit');                   // axe: 0 serious/critical; screenshots
 *   expect(await fieldError(page, '标题')).toContain('必填');  // the error next to a field
 * Screenshots go to .screenshots/<file>/<name>-{desktop,phone}.png (ignored by git), for a person.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { runtime } from '../support.ts';

export { CHROMIUM, CHROMIUM_FLAGS, launchBrowser } from './chromium.ts';

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', '.screenshots');

export const baseUrl = () => runtime().apiUrl;

export interface SignIn {
  sub: string;
  roles: string[];
  branch?: string;
  department?: string;
  viewport?: { width: number; height: number };
  locale?: 'zh-CN' | 'en';
}

/** Errors the page threw: a test fails on any (checkPage asserts none). */
const pageErrors = new WeakMap<Page, string[]>();

export const newPage = async (context: BrowserContext): Promise<Page> => {
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
};

/** A new browser context signed in through /dev/sign-in (the same OIDC flow as a person's), on the home page. */
export const signInAs = async (browser: Browser, who: SignIn): Promise<Page> => {
  const context = await browser.newContext({
    viewport: who.viewport ?? DESKTOP,
    locale: who.locale ?? 'zh-CN',
    // The app honours prefers-reduced-motion (styles.css): pages are read at rest, not mid-fade.
    reducedMotion: 'reduce',
  });
  const page = await newPage(context);
  const q = new URLSearchParams({ sub: who.sub, roles: who.roles.join(',') });
  if (who.branch) q.set('branch', who.branch);
  if (who.department) q.set('department', who.department);
  await page.goto(`${baseUrl()}/dev/sign-in?${q}`);
  await page.waitForURL(`${baseUrl()}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
};

/** Waits until nothing is loading (skeletons gone, no request of the app's under way). */
export const settle = async (page: Page) => {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.el-skeleton')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
};

let testFile = 'web';
/** Screenshots of this file go to .screenshots/<name>/. */
export const screenshotsFor = (file: string) => {
  testFile = basename(file).replace(/\.test\.ts$/, '');
};

interface PageAnimations {
  document: {
    getAnimations(): Array<{ playState: string; effect: { getTiming(): { iterations?: number } } | null }>;
  };
}
/**
 * Until no finite animation runs (at most 5 s). Polled with page.evaluate, which the app's
 * Content-Security-Policy allows: waitForFunction evaluates a string, which 'unsafe-eval' would need.
 */
const waitForAnimations = async (page: Page) => {
  for (let tries = 0; tries < 50; tries++) {
    const atRest = await page.evaluate(() =>
      (globalThis as unknown as PageAnimations).document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    );
    if (atRest) return;
    await page.waitForTimeout(100);
  }
};

/**
 * What every visited page must pass: no script errors, axe with 0 serious or critical
 * violations (the list of them otherwise), and a screenshot at desktop and phone sizes.
 */
export const checkPage = async (page: Page, name: string) => {
  await settle(page);
  // Element Plus fades dialogs, checked buttons and field errors in; a colour measured halfway
  // (white text on a still-white dialog) fails contrast though the page at rest passes. axe reads
  // the page once the finite animations are over (a loading spinner turns forever: not waited for).
  await waitForAnimations(page);
  expect(pageErrors.get(page) ?? [], 'errors thrown on the page').toEqual([]);
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join(', ')}`,
    ),
    `axe on ${name} (${page.url()})`,
  ).toEqual([]);
  const dir = join(SCREENSHOTS, testFile);
  mkdirSync(dir, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(dir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
};

/** Opens a path of the app and checks the page. */
export const visit = async (page: Page, path: string, name: string) => {
  await page.goto(`${baseUrl()}${path}`);
  await checkPage(page, name);
};

/** The error shown next to a form field, by the field's label. */
export const fieldError = async (page: Page, label: string | RegExp): Promise<string> => {
  const item = page.locator('.el-form-item').filter({ has: page.locator('label', { hasText: label }) });
  const error = item.locator('.el-form-item__error');
  await error.first().waitFor();
  return (await error.first().textContent())?.trim() ?? '';
};

/** The state tag's text on a proposal page or list row. */
export const stateOf = async (page: Page) => (await page.locator('.gh-state').first().textContent())?.trim();
