/**
 * The web app in Chromium on the embedded runtime (`npm run bench -- web`):
 *   - JavaScript on the first load of a page (the member's home, cache disabled): every script
 *     the browser fetched until the page showed its data, gzip-compressed as a CDN serves it
 *     (target ≤ 250 KiB); the local server sends it uncompressed, so each body is gzipped here;
 *   - time from navigation to the member's home showing their membership number (GET
 *     /members/me): cold (cache disabled) and warm, median of 7 (target ≤ 1 s, cold).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { hrPublish } from '../../infra/cli/commands/hr.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/web/chromium.ts';
import { percentile } from './machine.ts';

const RUNS = 7;
const JS_TARGET_KIB = 250;
const HOME_TARGET_MS = 1000;

export const benchWeb = async (workDir: string) => {
  const dataDir = join(workDir, 'data');
  process.env.GONGHUI_DATA_DIR = dataDir;
  const runtime = await startRuntime({ dataDir, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const base = runtime.info.apiUrl;
    const employeeId = `BENCH${Date.now().toString(36).toUpperCase()}`;
    const file = join(workDir, 'hire.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          version: '0',
          id: randomUUID(),
          source: 'university.hr',
          'detail-type': 'EmployeeHired',
          account: '111122223333',
          time: new Date().toISOString(),
          region: 'ap-east-1',
          resources: [],
          detail: {
            eventId: `hr-${employeeId}`,
            occurredAt: new Date().toISOString(),
            employeeId,
            name: '测试会员',
            gender: 'female',
            birthDate: '1990-01-01',
            email: `${employeeId.toLowerCase()}@example.edu.cn`,
            mobile: '13900000000',
            department: { code: 'CS', name: '计算机学院' },
            position: '讲师',
            category: 'teaching',
            employmentType: 'permanent',
            hireDate: '2026-09-01',
          },
        },
      ]),
    );
    await hrPublish(file, {});
    await waitForIdle(runtime.info.controlUrl, 60_000);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/dev/sign-in?sub=${employeeId}&roles=member`);
    await page.waitForURL(`${base}/`);
    const cdp = await context.newCDPSession(page);

    const load = async (cold: boolean) => {
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
      const scripts: Array<Promise<number>> = [];
      const onResponse = (r: import('playwright-core').Response) => {
        if (r.request().resourceType() === 'script')
          scripts.push(r.body().then((b) => gzipSync(b, { level: 9 }).length));
      };
      page.on('response', onResponse);
      await page.goto(`${base}/me`);
      await page.getByTestId('membership-number').filter({ hasText: /\S/ }).waitFor();
      // Milliseconds since this navigation started, read in the page.
      const ms = await page.evaluate(() => performance.now());
      page.off('response', onResponse);
      const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
      return { ms, bytes, files: scripts.length };
    };

    await load(true); // a first pass warms the runtime's function instances
    const cold = [];
    const warm = [];
    for (let i = 0; i < RUNS; i++) cold.push(await load(true));
    for (let i = 0; i < RUNS; i++) warm.push(await load(false));
    const jsKiB = cold[0]!.bytes / 1024;
    const coldMs = percentile(
      cold.map((r) => r.ms),
      50,
    );
    const warmMs = percentile(
      warm.map((r) => r.ms),
      50,
    );
    const ok = jsKiB <= JS_TARGET_KIB && coldMs <= HOME_TARGET_MS;
    const body = [
      '| figure | value | target |',
      '| --- | --- | --- |',
      `| JavaScript on the first load of the member's home (${cold[0]!.files} files, gzip -9) | ${jsKiB.toFixed(1)} KiB | ≤ ${JS_TARGET_KIB} KiB |`,
      `| navigation → membership number shown, cache disabled (median of ${RUNS}) | ${coldMs.toFixed(0)} ms (max ${Math.max(...cold.map((r) => r.ms)).toFixed(0)}) | ≤ ${HOME_TARGET_MS} ms |`,
      `| the same with the browser's cache (median of ${RUNS}) | ${warmMs.toFixed(0)} ms | |`,
      '',
      'Chromium (Debian, headless) at 390×844 on the embedded runtime, signed in as a member through /dev/sign-in; each load is a full navigation (the app starts, reads /config.json, restores the session from sessionStorage, loads the page chunk, calls GET /api/members/me).',
    ].join('\n');
    return { title: 'Web app: first load and the member’s home', body, ok };
  } finally {
    await browser.close();
    await runtime.stop();
  }
};
