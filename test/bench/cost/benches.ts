/**
 * The `cost` and `province` sections of `npm run bench`. cost measures what an API call uses (a
 * runtime of its own), then prices a month at three sizes from the figures the other benchmarks
 * wrote in this run or an earlier one (.bench/figures); province simulates a holiday over a
 * million members from the same figures. Both run after init, mail, hires and care.
 */
import { measureApiUsage } from '../api-usage.ts';
import { costInputs, FIGURES_DIR, readFiguresDir } from './inputs.ts';
import { US_EAST_1 } from './prices.ts';
import { simulateProvince } from './province.ts';
import { renderCost } from './report.ts';

export const benchCost = async (workDir: string) => {
  const api = await measureApiUsage(workDir);
  const figures = {
    ...readFiguresDir(FIGURES_DIR),
    cost: { measured: new Date().toISOString(), perApiCall: api.perCall },
  };
  const inputs = costInputs(figures);
  const figuresOut = { apiCalls: api.calls, mix: api.mix, perApiCall: api.perCall };
  if (!('units' in inputs) || !inputs.units)
    return {
      title: 'What it costs',
      body: `Not computed: the figures of ${inputs.missing.join(', ')} are missing.`,
      ok: false,
      figures: figuresOut,
    };
  const cost = renderCost(inputs.units, US_EAST_1, inputs.sources);
  return {
    title: 'What it costs',
    body: `${cost.body}\n\nThe API calls measured for it: ${api.calls} calls, ${api.mix}.`,
    ok: cost.ok,
    figures: {
      ...figuresOut,
      monthly: Object.fromEntries(
        cost.results.map((r) => [r.members, { total: r.total, perMemberMonth: r.perMemberMonth }]),
      ),
    },
  };
};

export const benchProvince = async () => {
  const inputs = costInputs(readFiguresDir(FIGURES_DIR));
  if (!('province' in inputs) || !inputs.province)
    return {
      title: 'A province: 1,000,000 members',
      body: `Not computed: the figures of ${inputs.missing.join(', ')} are missing.`,
      ok: false,
    };
  const p = simulateProvince(inputs.province);
  return {
    title: 'A province: 1,000,000 members',
    body: p.body,
    ok: true,
    figures: {
      scenarios: p.rows.map((r) => ({
        name: r.s.name,
        grantsPerSecond: r.grantRate,
        mailsPerSecond: r.mailRate,
        endSeconds: r.endSeconds,
      })),
      firstHotKey: p.first.key,
    },
  };
};
