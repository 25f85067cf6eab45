/**
 * The dashboard's data → charts mapping (web/src/dashboard/charts.ts): each chart's series are the
 * API's figures, and its table (the text alternative) says the same numbers, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { areas } from '../../web/src/app/areas';
import { createAppI18n } from '../../web/src/app/i18n';
import {
  careCategoriesFigure,
  careMonthsFigure,
  formatters,
  holidaysFigure,
  lettersFigure,
  membersFigure,
  proposalsFigure,
} from '../../web/src/dashboard/charts';
import { dashboardFixture } from './dashboard-fixture';

const translator = (locale: 'zh-CN' | 'en') => {
  const { t } = createAppI18n(areas, locale).global;
  return (key: string, params?: Record<string, unknown>) => (params ? t(key, params) : t(key));
};
const zh = translator('zh-CN');
const fz = formatters('zh-CN');
// biome-ignore lint/suspicious/noExplicitAny: reading ECharts options loosely
type Series = Array<{ name: string; data: any[]; stack?: string }>;

describe('the dashboard charts', () => {
  it('draws members by branch as bars stacked by status, with the same numbers in the table', () => {
    const d = dashboardFixture();
    const fig = membersFigure(d, zh, fz);
    const series = fig.option.series as Series;
    // Only the statuses someone has: no empty legend entries.
    expect(series.map((s) => s.name)).toEqual(['在册', '退休', '已退会']);
    expect(series.every((s) => s.stack === 'members')).toBe(true);
    expect(series[0]!.data).toEqual([960, 290]);
    expect((fig.option.yAxis as { data: string[] }).data).toEqual(['计算机学院分工会', '机关分工会']);
    expect(fig.table.columns).toEqual(['分工会', '在册', '退休', '已退会', '已转出', '已除名', '合计']);
    expect(fig.table.rows[0]).toEqual(['计算机学院分工会', '960', '30', '10', '0', '0', '1,000']);
    expect(fig.table.total).toEqual(['合计', '1,250', '40', '10', '0', '0', '1,300']);
    expect(fig.summary).toBe('2个分工会共1,300名会员，其中在册1,250名；各分工会按状态分段的条形图。');
    // Taller with more branches, so every bar keeps its label.
    expect(fig.height).toBeGreaterThanOrEqual(160);
    const many = {
      ...d,
      members: { ...d.members, byBranch: Array.from({ length: 36 }, () => d.members.byBranch[0]!) },
    };
    expect(membersFigure(many, zh, fz).height).toBeGreaterThan(36 * 25);
  });

  it("shows each category's care against its ceiling, and the months stacked by category, in yuan", () => {
    const d = dashboardFixture();
    const fig = careCategoriesFigure(d, zh, fz);
    const [used, remaining] = fig.option.series as Series;
    // 2,000,000 yuan of 2,580,000 (2,000 yuan × 1,290 members): 77.5%.
    expect(used!.data.map((x: { value: number }) => x.value)).toEqual([77.5, 77.5, 2.6]);
    expect(remaining!.data.map((x: { value: number }) => x.value)).toEqual([22.5, 22.5, 97.4]);
    // A share too small for its bar is written on the grey part instead.
    expect(used!.data[2].label.show).toBe(false);
    expect(remaining!.data[2].label.show).toBe(true);
    expect(fig.table.rows[0]).toEqual([
      '节日慰问',
      '¥2,000,000.00',
      '¥2,000.00',
      '¥2,580,000.00',
      '77.5%',
      '11,000',
      '15',
      '12',
      '3',
    ]);
    expect(fig.table.total?.[1]).toBe('¥2,500,000.00');

    const months = careMonthsFigure(d, zh, fz);
    const ms = months.option.series as Series;
    expect(ms.map((s) => s.name)).toEqual(['节日慰问', '生日慰问', '婚丧病退等慰问']);
    expect(ms[0]!.data[1]).toBe(600_000);
    expect(months.table.rows).toHaveLength(12);
    expect(months.table.rows[1]).toEqual(['2月', '¥600,000.00', '¥25,000.00', '¥0.00', '¥625,000.00']);
    expect(months.summary).toContain('支出最多的是2月');
  });

  it('lists the holidays ahead with dispatch day, reach and estimate, marking an unknown 调休 arrangement', () => {
    const fig = holidaysFigure(dashboardFixture(), zh, fz);
    expect((fig.option.series as Series)[0]!.data).toEqual([1250, 600]);
    expect(fig.table.rows[0]).toEqual([
      '元旦',
      '2027-01-01',
      '2026-12-31',
      '25天后',
      '全体会员',
      '1,250',
      '¥187,000.00',
      '3',
    ]);
    expect(fig.table.rows[1]![2]).toBe('2027-03-05 *');
    expect(fig.table.footnote).toBe('* 当年调休安排尚未公布，发放日按周末推算');
  });

  it('counts proposals by state (the empty ones left out) and letters by days waiting', () => {
    const d = dashboardFixture();
    const p = proposalsFigure(d.proposals!, zh, fz);
    expect((p.option.yAxis as { data: string[] }).data).toEqual(['征集附议中', '办理中', '已答复', '已办结']);
    expect(p.table.total).toEqual(['合计', '12']);
    expect(p.summary).toContain('逾期未答复1件');
    const l = lettersFigure(d.letters!, zh, fz);
    expect((l.option.series as Series)[0]!.data.map((x: { value: number }) => x.value)).toEqual([
      1, 1, 1, 0, 1,
    ]);
    expect(l.table.rows.map((r) => r[0])).toEqual(['0-2天', '3-6天', '7-13天', '14-29天', '30+天']);
    expect(l.summary).toBe('4封来信尚未答复，最久已等31天；按等待天数分段的条形图。');
  });

  it('speaks English when the user chose it', () => {
    const en = translator('en');
    const fe = formatters('en');
    const d = dashboardFixture();
    const fig = membersFigure(d, en, fe);
    expect((fig.option.series as Series).map((s) => s.name)).toEqual(['Active', 'Retired', 'Left']);
    expect(fig.table.columns[0]).toBe('Branch');
    expect(holidaysFigure(d, en, fe).table.rows[0]![3]).toBe('25 days');
    expect(careCategoriesFigure(d, en, fe).table.rows[0]![1]).toBe('CN¥2,000,000.00');
  });
});
