/**
 * The dashboard page (web/src/dashboard/pages/DashboardPage.vue) with the API answered by the
 * test: the figures, the tables that stand beside each chart, the overdue proposals linked to
 * their pages, the scope in the URL, the marks the render bench reads. ECharts needs a canvas,
 * which happy-dom has not: its module is replaced by one that records the options and says
 * 'finished' as ECharts does (the browser journey draws the real charts).
 */
import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../web/src/app/auth/session';
import DashboardPage from '../../web/src/dashboard/pages/DashboardPage.vue';
import { dashboardFixture } from './dashboard-fixture';
import { fakeApi, mountWithApp, signInAs } from './support';

const drawn: unknown[] = [];
vi.mock('../../web/src/dashboard/echarts', () => ({
  echarts: {
    init: () => {
      const handlers: Record<string, () => void> = {};
      return {
        on: (event: string, f: () => void) => {
          handlers[event] = f;
        },
        setOption: (option: unknown) => {
          drawn.push(option);
          setTimeout(() => handlers.finished?.(), 0);
        },
        resize: () => {},
        dispose: () => {},
      };
    },
  },
}));

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
  drawn.length = 0;
  performance.clearMarks();
});

describe('the dashboard page', () => {
  it("shows the chair the union's figures, every chart with its table, and marks when all are drawn", async () => {
    signInAs('C1', ['chair']);
    const seen = fakeApi(() => ({ status: 200, body: dashboardFixture() }));
    const { wrapper } = await mountWithApp(DashboardPage, { path: '/admin/dashboard' });
    await flushPromises();
    await new Promise((r) => setTimeout(r, 5));
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(['/api/reports/dashboard']);
    expect(wrapper.find('h1').text()).toBe('工作台');
    expect(wrapper.find('[data-testid="kpi-members"]').text()).toBe('1,250');
    expect(wrapper.find('[data-testid="kpi-care"]').text()).toBe('¥2,500,000.00');
    expect(wrapper.find('[data-testid="kpi-overdue"]').text()).toBe('1');
    expect(wrapper.find('[data-testid="kpi-letters"]').text()).toBe('4');
    // Six charts, each an image with a label, each with its data table.
    const charts = wrapper.findAll('[role="img"]');
    expect(charts).toHaveLength(6);
    expect(charts.every((c) => (c.attributes('aria-label') ?? '').length > 10)).toBe(true);
    expect(wrapper.findAll('details table')).toHaveLength(6);
    expect(wrapper.find('[data-testid="panel-members"] tbody tr').text()).toContain('计算机学院分工会');
    // The holidays' table is open: it is the point of that card.
    expect(wrapper.find('[data-testid="panel-holidays"] details').attributes('open')).toBeDefined();
    const link = wrapper.find('[data-testid="overdue"] a');
    expect(link.attributes('href')).toBe('/proposals/P7');
    expect(link.text()).toBe('2026-007 食堂延长供餐时间');
    expect(drawn).toHaveLength(6);
    expect(performance.getEntriesByName('dashboard-data')).toHaveLength(1);
    expect(performance.getEntriesByName('dashboard-drawn')).toHaveLength(1);
  });

  it('asks for the branch and year in the URL, and shows an officer no proposals or letters', async () => {
    signInAs('O1', ['officer'], { branch: 'B2' });
    const mine = {
      ...dashboardFixture(),
      scope: { branch: 'B2' },
      proposals: null,
      letters: null,
      members: { ...dashboardFixture().members, byBranch: [dashboardFixture().members.byBranch[1]!] },
    };
    const seen = fakeApi(() => ({ status: 200, body: mine }));
    const { wrapper } = await mountWithApp(DashboardPage, { path: '/admin/dashboard?year=2025&branch=B1' });
    await flushPromises();
    // An officer's scope is theirs: the page does not even ask for another branch.
    const url = new URL(seen[0]!.url);
    expect(url.searchParams.get('year')).toBe('2025');
    expect(url.searchParams.get('branch')).toBeNull();
    expect(wrapper.find('h1').text()).toBe('工作台 · 机关分工会');
    expect(wrapper.find('#dash-scope').exists()).toBe(false);
    expect(wrapper.findAll('[role="img"]')).toHaveLength(4);
    expect(wrapper.find('[data-testid="panel-proposals"]').exists()).toBe(false);
  });

  it('shows the API error with a retry, and draws nothing', async () => {
    signInAs('C1', ['chair']);
    fakeApi(() => ({
      status: 400,
      body: { message: '请求有误 / Invalid', errors: [{ field: 'year', message: 'bad' }] },
    }));
    const { wrapper } = await mountWithApp(DashboardPage, { path: '/admin/dashboard?year=1999' });
    await flushPromises();
    expect(wrapper.text()).toContain('请求有误');
    expect(wrapper.findAll('[role="img"]')).toHaveLength(0);
  });
});
