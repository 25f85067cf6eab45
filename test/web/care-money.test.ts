/**
 * Money on the care pages: the API counts fen, people read and type yuan. The formatting and
 * parsing, and the ledger page showing yuan (never a fen figure) with the API's totals.
 */
import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../web/src/app/auth/session';
import { formatYuan, lunarDayName, occasionDay, parseYuan, yuanText } from '../../web/src/care/format';
import LedgerPage from '../../web/src/care/pages/LedgerPage.vue';
import RequestListPage from '../../web/src/care/pages/RequestListPage.vue';
import { fakeApi, mountWithApp, signInAs } from './support';

// Hooks after a test run last-registered first: the pages unmount before the token and the fake
// API go (a page that follows the signed-in user would otherwise fetch once more, for real).
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});
enableAutoUnmount(afterEach);

describe('yuan', () => {
  it('formats fen as yuan with two decimals and thousands separators, in both languages', () => {
    expect(formatYuan(100_000)).toBe('¥1,000.00');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan(12_345_678, 'en')).toBe('¥123,456.78');
    expect(formatYuan(0)).toBe('¥0.00');
  });

  it('gives a form yuan to edit, and reads what people type back as fen', () => {
    expect(yuanText(150_000)).toBe('1500');
    expect(yuanText(8850)).toBe('88.5');
    expect(yuanText(5)).toBe('0.05');
    expect(parseYuan('1500')).toBe(150_000);
    expect(parseYuan('1,000.5')).toBe(100_050);
    expect(parseYuan(' ¥88.00 元')).toBe(8800);
    expect(parseYuan('２００')).toBe(20_000);
    expect(parseYuan('0.05')).toBe(5);
    for (const bad of ['', '-1', '1.005', 'abc', '1e3', '.5']) expect(parseYuan(bad), bad).toBeNull();
    // What the form shows is what it reads back: no rounding drift.
    for (const fen of [0, 1, 10, 99, 100, 8850, 150_000, 10_000_000])
      expect(parseYuan(yuanText(fen))).toBe(fen);
  });

  it('names lunar days as a Chinese calendar does', () => {
    expect([1, 3, 10, 15, 20, 21, 30].map(lunarDayName)).toEqual([
      '初一',
      '初三',
      '初十',
      '十五',
      '二十',
      '廿一',
      '三十',
    ]);
    expect(occasionDay({ calendar: 'lunar', month: 3, day: 3 }, 'zh-CN')).toBe('农历三月初三');
    expect(occasionDay({ calendar: 'lunar', month: 12, day: 8 }, 'zh-CN')).toBe('农历腊月初八');
    expect(occasionDay({ calendar: 'solar', month: 3, day: 8 }, 'zh-CN')).toBe('公历3月8日');
    expect(occasionDay({ calendar: 'lunar', month: 3, day: 3 }, 'en')).toBe('lunar 3/3');
  });
});

const entry = (employeeId: string, occasion: string, occasionName: string, amountFen: number) => ({
  memberId: `M${employeeId}`,
  employeeId,
  membershipNumber: `GLU-2026-${employeeId}`,
  branch: 'B01',
  branchName: '护理学院分工会',
  occasion,
  occasionName,
  category: occasion.includes(':') ? 'life' : 'holiday',
  year: 2026,
  date: '2026-12-01',
  amountFen,
  gift: null,
  reason: 'full',
  policyEffectiveFrom: '2000-01-01',
  recordedAt: '2026-12-01T02:00:00Z',
});

describe('the ledger page', () => {
  it('shows amounts in yuan, the API’s totals, and no action but the filters and the download to an auditor', async () => {
    signInAs('A1', ['auditor']);
    const seen = fakeApi(() => ({
      status: 200,
      body: {
        year: 2026,
        entries: [
          entry('T1', 'hospital:R1', '住院慰问', 100_000),
          entry('T2', 'hospital:R2', '住院慰问', 88_850),
          entry('T1', 'mid_autumn', '中秋节', 30_000),
        ],
        totals: [
          { branch: 'B01', occasion: 'hospital', name: '住院慰问', entries: 2, amountFen: 188_850 },
          { branch: 'B01', occasion: 'mid_autumn', name: '中秋节', entries: 1, amountFen: 30_000 },
        ],
        totalFen: 218_850,
      },
    }));
    const { wrapper } = await mountWithApp(LedgerPage, { path: '/admin/care/ledger?year=2026&branch=B01' });
    expect(seen[0]!.url).toMatch(/\/api\/care\/ledger\?year=2026&branch=B01$/);
    const totals = wrapper.find('[data-testid=ledger-totals]');
    expect(totals.find('[data-row="B01#hospital"]').text()).toContain('¥1,888.50');
    expect(wrapper.find('[data-testid=ledger-totals] tfoot').text()).toContain('¥2,188.50');
    expect(wrapper.find('[data-testid=ledger-entries]').text()).toContain('¥888.50');
    // No fen figure anywhere on the page.
    for (const fen of ['100000', '188850', '218850', '88850', '30000'])
      expect(wrapper.text()).not.toContain(fen);
    expect(wrapper.text()).toContain('只读');
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual(['下载 CSV', '查询']);
  });
});

describe('the requests page', () => {
  it('shows what the policy gives in yuan, and what was granted once approved', async () => {
    signInAs('O1', ['officer'], { branch: 'B01' });
    const request = {
      id: 'R1',
      memberId: 'M1',
      employeeId: 'T1',
      branch: 'B01',
      kind: 'hospital',
      date: '2026-12-01',
      note: '住院手术',
      reportedBy: 'O1',
      decidedBy: null,
      decisionReason: null,
      amountFen: null,
      createdAt: '2026-12-01T02:00:00Z',
      updatedAt: '2026-12-01T02:00:00Z',
      version: 1,
      policyAmountFen: 100_000,
      member: { name: '陈晓梅', membershipNumber: 'GLU-2026-000001' },
    };
    fakeApi((req) => ({
      status: 200,
      body: {
        items:
          new URL(req.url).searchParams.get('status') === 'approved'
            ? [{ ...request, status: 'approved', amountFen: 50_000, decidedBy: 'C1' }]
            : [{ ...request, status: 'pending' }],
      },
    }));
    const { wrapper, router } = await mountWithApp(RequestListPage, { path: '/admin/care/requests' });
    expect(wrapper.text()).toContain('陈晓梅');
    expect(wrapper.text()).toContain('按政策 ¥1,000.00');
    expect(wrapper.text()).toContain('待工会主席审批');
    // Officers do not decide: no approve or reject button.
    expect(wrapper.findAll('button').map((b) => b.text())).not.toContain('批准');
    await router.replace('/admin/care/requests?status=approved');
    await new Promise((r) => setTimeout(r, 0));
    await vi.waitFor(() => expect(wrapper.text()).toContain('实发 ¥500.00'));
    expect(wrapper.text()).toContain('受年度上限限制');
    expect(wrapper.text()).not.toContain('100000');
  });
});
