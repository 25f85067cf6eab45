/**
 * The dashboard's figures as charts and as tables: each chart's ECharts option and the same
 * numbers as a table (the chart's text alternative, for screen readers and for anyone who would
 * rather read). Pure functions of the API's answer and the language, so they are tested without a
 * browser (test/web/dashboard-charts.test.ts).
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { Dashboard } from './api';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface FigureTable {
  columns: string[];
  /** The first cell names the row; the others are already formatted for reading. */
  rows: string[][];
  /** A last row of totals, when it adds up. */
  total?: string[];
  /** A note under the table (what a mark in it means). */
  footnote?: string;
}

export interface Figure {
  /** Says what the chart shows, in one sentence (the chart's aria-label). */
  summary: string;
  option: EChartsCoreOption;
  table: FigureTable;
  /** Pixels the chart needs to show every row (horizontal bars grow with their rows). */
  height: number;
}

export const MEMBER_STATUSES = ['active', 'retired', 'left', 'transferred_out', 'expelled'] as const;
const CATEGORIES = ['holiday', 'birthday', 'life'] as const;

/** Colours with at least 3:1 against white (WCAG 1.4.11 for graphics), distinct in grey too. */
export const PALETTE = ['#0b57d0', '#137333', '#b25e09', '#8e24aa', '#c5221f', '#00796b', '#5c6370'];
const REMAINING = '#dfe3ea';

export const formatters = (locale: string) => {
  const count = new Intl.NumberFormat(locale);
  const yuan = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    maximumFractionDigits: 2,
  });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return {
    count: (n: number) => count.format(n),
    /** The API's fen as yuan. */
    yuan: (fen: number) => yuan.format(fen / 100),
    /** Yuan, short, for an axis: 1.2万 / 12K. */
    compactYuan: (fen: number) => compact.format(fen / 100),
    percent: (x: number) => percent.format(x),
  };
};
export type Formatters = ReturnType<typeof formatters>;

const barHeight = (rows: number, min = 160) => Math.max(min, rows * 30 + 90);

const baseOption = (): EChartsCoreOption => ({
  color: PALETTE,
  // Short, and none when the user asks for less motion.
  animationDuration: 300,
  animation: !globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
  textStyle: { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", sans-serif' },
  grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
  legend: { top: 0, type: 'scroll' },
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
});

/** Long branch names cut on the axis (the table and the tooltip have them whole). */
const categoryLabels = { width: 120, overflow: 'truncate' as const };

// ---------------------------------------------------------------------------------------------

export const membersFigure = (d: Dashboard, t: Translate, f: Formatters): Figure => {
  const branches = d.members.byBranch;
  const shown = MEMBER_STATUSES.filter((s) => d.members.total[s] > 0);
  const statuses = shown.length ? shown : (['active'] as const);
  const total = MEMBER_STATUSES.reduce((n, s) => n + d.members.total[s], 0);
  return {
    summary: t('dashboard.members.summary', {
      branches: branches.length,
      total: f.count(total),
      active: f.count(d.members.total.active),
    }),
    height: barHeight(branches.length),
    option: {
      ...baseOption(),
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: branches.map((b) => b.branch.name),
        axisLabel: categoryLabels,
      },
      series: statuses.map((s) => ({
        name: t(`dashboard.status.${s}`),
        type: 'bar',
        stack: 'members',
        barMaxWidth: 22,
        data: branches.map((b) => b.byStatus[s]),
      })),
    },
    table: {
      columns: [
        t('dashboard.members.branch'),
        ...MEMBER_STATUSES.map((s) => t(`dashboard.status.${s}`)),
        t('dashboard.total'),
      ],
      rows: branches.map((b) => [
        b.branch.name,
        ...MEMBER_STATUSES.map((s) => f.count(b.byStatus[s])),
        f.count(b.total),
      ]),
      total: [
        t('dashboard.total'),
        ...MEMBER_STATUSES.map((s) => f.count(d.members.total[s])),
        f.count(total),
      ],
    },
  };
};

export const careCategoriesFigure = (d: Dashboard, t: Translate, f: Formatters): Figure => {
  const cats = CATEGORIES.map((c) => d.care.categories.find((x) => x.category === c)).filter(
    (c): c is Dashboard['care']['categories'][number] => c !== undefined,
  );
  const used = (c: (typeof cats)[number]) => (c.ceilingFen > 0 ? Math.min(1, c.spentFen / c.ceilingFen) : 0);
  return {
    summary: t('dashboard.care.categoriesSummary', {
      year: d.care.year,
      total: f.yuan(d.care.totalFen),
    }),
    height: barHeight(cats.length, 180),
    option: {
      ...baseOption(),
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        // The money behind each percentage.
        formatter: (params: Array<{ dataIndex: number }>) => {
          const c = cats[params[0]?.dataIndex ?? 0];
          return c
            ? `${t(`dashboard.category.${c.category}`)}<br>${f.yuan(c.spentFen)} / ${f.yuan(c.ceilingFen)} (${f.percent(used(c))})`
            : '';
        },
      },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: cats.map((c) => t(`dashboard.category.${c.category}`)),
      },
      series: [
        {
          name: t('dashboard.care.used'),
          type: 'bar',
          stack: 'cap',
          barMaxWidth: 26,
          // The share inside its bar when the bar is wide enough (white on blue) …
          data: cats.map((c) => ({
            value: Math.round(used(c) * 1000) / 10,
            label: {
              show: used(c) >= 0.15,
              position: 'insideLeft',
              color: '#fff',
              formatter: () => f.percent(used(c)),
            },
          })),
        },
        {
          name: t('dashboard.care.remaining'),
          type: 'bar',
          stack: 'cap',
          barMaxWidth: 26,
          itemStyle: { color: REMAINING },
          // … else at the start of the remaining part, dark on grey.
          data: cats.map((c) => ({
            value: Math.round((1 - used(c)) * 1000) / 10,
            label: {
              show: used(c) < 0.15,
              position: 'insideLeft',
              color: '#1f2933',
              formatter: () => f.percent(used(c)),
            },
          })),
        },
      ],
    },
    table: {
      columns: [
        t('dashboard.care.category'),
        t('dashboard.care.spent'),
        t('dashboard.care.cap'),
        t('dashboard.care.ceiling'),
        t('dashboard.care.usedShare'),
        t('dashboard.care.grants'),
        t('dashboard.care.membersAtCap'),
        t('dashboard.care.reduced'),
        t('dashboard.care.skipped'),
      ],
      rows: cats.map((c) => [
        t(`dashboard.category.${c.category}`),
        f.yuan(c.spentFen),
        f.yuan(c.capFen),
        f.yuan(c.ceilingFen),
        f.percent(used(c)),
        f.count(c.grants),
        f.count(c.membersAtCap),
        f.count(c.reducedByCap),
        f.count(c.skippedCapReached),
      ]),
      total: [t('dashboard.total'), f.yuan(d.care.totalFen), '', '', '', '', '', '', ''],
    },
  };
};

export const careMonthsFigure = (d: Dashboard, t: Translate, f: Formatters): Figure => {
  const months = d.care.byMonth;
  const monthName = (m: string) => t('dashboard.month', { m: Number(m) });
  const keyOf = { holiday: 'holidayFen', birthday: 'birthdayFen', life: 'lifeFen' } as const;
  const busiest = [...months].sort((a, b) => b.totalFen - a.totalFen)[0];
  return {
    summary: t('dashboard.care.monthsSummary', {
      year: d.care.year,
      month: busiest && busiest.totalFen > 0 ? monthName(busiest.month) : '—',
    }),
    height: 300,
    option: {
      ...baseOption(),
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => String(Number(m.month))) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => f.compactYuan(v * 100) } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        confine: true,
        valueFormatter: (v: number) => f.yuan(v * 100),
      },
      series: CATEGORIES.map((c) => ({
        name: t(`dashboard.category.${c}`),
        type: 'bar',
        stack: 'month',
        barMaxWidth: 28,
        // Yuan on the axis (the API's fen / 100).
        data: months.map((m) => m[keyOf[c]] / 100),
      })),
    },
    table: {
      columns: [
        t('dashboard.care.monthColumn'),
        ...CATEGORIES.map((c) => t(`dashboard.category.${c}`)),
        t('dashboard.total'),
      ],
      rows: months.map((m) => [
        monthName(m.month),
        ...CATEGORIES.map((c) => f.yuan(m[keyOf[c]])),
        f.yuan(m.totalFen),
      ]),
      total: [
        t('dashboard.total'),
        ...CATEGORIES.map((c) => f.yuan(months.reduce((n, m) => n + m[keyOf[c]], 0))),
        f.yuan(d.care.totalFen),
      ],
    },
  };
};

export const proposalsFigure = (
  p: NonNullable<Dashboard['proposals']>,
  t: Translate,
  f: Formatters,
): Figure => {
  const states = Object.entries(p.byState).filter(([, n]) => n > 0);
  return {
    summary: t('dashboard.proposals.summary', {
      session: p.session,
      total: f.count(p.total),
      overdue: f.count(p.overdue.length),
    }),
    height: barHeight(states.length),
    option: {
      ...baseOption(),
      legend: { show: false },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: states.map(([s]) => t(`proposals.state.${s}`)),
        axisLabel: categoryLabels,
      },
      series: [
        {
          name: t('dashboard.proposals.count'),
          type: 'bar',
          barMaxWidth: 22,
          label: { show: true, position: 'right' },
          data: states.map(([, n]) => n),
        },
      ],
    },
    table: {
      columns: [t('dashboard.proposals.state'), t('dashboard.proposals.count')],
      rows: states.map(([s, n]) => [t(`proposals.state.${s}`), f.count(n)]),
      total: [t('dashboard.total'), f.count(p.total)],
    },
  };
};

export const lettersFigure = (l: NonNullable<Dashboard['letters']>, t: Translate, f: Formatters): Figure => ({
  summary: t('dashboard.letters.summary', {
    unanswered: f.count(l.unanswered),
    oldest: l.oldestDays ?? 0,
  }),
  height: barHeight(l.byAge.length),
  option: {
    ...baseOption(),
    legend: { show: false },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: l.byAge.map((b) => t('dashboard.letters.band', { days: b.days })),
    },
    series: [
      {
        name: t('dashboard.letters.count'),
        type: 'bar',
        barMaxWidth: 22,
        label: { show: true, position: 'right' },
        // Older bands darker: the ones to act on first.
        data: l.byAge.map((b, i) => ({
          value: b.count,
          itemStyle: { color: ['#0b57d0', '#0b57d0', '#b25e09', '#c5221f', '#9e1b19'][i] ?? '#c5221f' },
        })),
      },
    ],
  },
  table: {
    columns: [t('dashboard.letters.waiting'), t('dashboard.letters.count')],
    rows: l.byAge.map((b) => [t('dashboard.letters.band', { days: b.days }), f.count(b.count)]),
    total: [t('dashboard.total'), f.count(l.unanswered)],
  },
});

export const holidaysFigure = (d: Dashboard, t: Translate, f: Formatters): Figure => {
  const hs = d.holidays;
  const label = (h: Dashboard['holidays'][number]) => `${h.name} ${h.dispatchDate.slice(5)}`;
  return {
    summary: t('dashboard.holidays.summary', {
      n: hs.length,
      first: hs[0] ? `${hs[0].name} ${hs[0].dispatchDate}` : '—',
    }),
    height: barHeight(hs.length),
    option: {
      ...baseOption(),
      legend: { show: false },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: hs.map(label), axisLabel: categoryLabels },
      series: [
        {
          name: t('dashboard.holidays.reach'),
          type: 'bar',
          barMaxWidth: 22,
          label: {
            show: true,
            position: 'right',
            formatter: ({ value }: { value: number }) => f.count(value),
          },
          data: hs.map((h) => h.reach),
        },
      ],
    },
    table: {
      columns: [
        t('dashboard.holidays.holiday'),
        t('dashboard.holidays.date'),
        t('dashboard.holidays.dispatch'),
        t('dashboard.holidays.daysUntil'),
        t('dashboard.holidays.audience'),
        t('dashboard.holidays.reach'),
        t('dashboard.holidays.estimate'),
        t('dashboard.holidays.reduced'),
      ],
      rows: hs.map((h) => [
        h.name,
        h.date,
        h.arrangementKnown ? h.dispatchDate : `${h.dispatchDate} *`,
        t('dashboard.holidays.inDays', { n: h.daysUntilDispatch }),
        t(`dashboard.audience.${h.audience}`),
        h.enabled ? f.count(h.reach) : t('dashboard.holidays.disabled'),
        h.enabled ? f.yuan(h.estimatedFen) : '—',
        h.enabled ? f.count(h.reducedByCap) : '—',
      ]),
      ...(hs.some((h) => !h.arrangementKnown)
        ? { footnote: `* ${t('dashboard.holidays.arrangementUnknown')}` }
        : {}),
    },
  };
};
