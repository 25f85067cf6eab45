/**
 * The cost model's and the province simulation's inputs, from the figures the benchmarks wrote
 * (.bench/figures/<name>.json during a run, BENCHMARKS.json once the run is written up).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Usage } from '../usage.ts';
import { typicalItems } from './item-size.ts';
import type { MeasuredUnits } from './model.ts';
import type { ProvinceInputs } from './province.ts';

export type Figures = Record<string, Record<string, unknown> & { measured?: string }>;

export const FIGURES_DIR = '.bench/figures';
export const FIGURES_FILE = 'BENCHMARKS.json';

/** Every bench's figures in a directory (one file each). */
export const readFiguresDir = (dir = FIGURES_DIR): Figures => {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(join(dir, f), 'utf8'))]),
  );
};

/** The figures BENCHMARKS.json holds (written with BENCHMARKS.md). */
export const readFiguresFile = (file = FIGURES_FILE): Figures =>
  existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { figures: Figures }).figures ?? {}) : {};

const need = <T>(figures: Figures, bench: string, key: string, missing: string[]): T | undefined => {
  const value = figures[bench]?.[key];
  if (value === undefined) missing.push(`${bench}.${key} (npm run bench -- ${bench})`);
  return value as T | undefined;
};

export const costInputs = (figures: Figures) => {
  const missing: string[] = [];
  const perHire = need<Usage>(figures, 'hires', 'perHire', missing);
  const perHolidayMember = need<Usage>(figures, 'care', 'perHolidayMember', missing);
  const perBirthdayMember = need<Usage>(figures, 'care', 'perBirthdayMember', missing);
  const perMail = need<Usage>(figures, 'mail', 'perMail', missing);
  const perApiCall = need<Usage>(figures, 'cost', 'perApiCall', missing);
  const grantPage = need<ProvinceInputs['grantPage']>(figures, 'care', 'grantPage', missing);
  const init = figures.init as Record<string, { initOverBareMs?: number }> | undefined;
  const initMs = init
    ? Object.fromEntries(
        Object.entries(init)
          .filter(([, v]) => typeof v === 'object' && v && typeof v.initOverBareMs === 'number')
          .map(([fn, v]) => [fn, v.initOverBareMs!]),
      )
    : undefined;
  const itemBytes = typicalItems();
  const when = (bench: string) => figures[bench]?.measured?.slice(0, 16).replace('T', ' ') ?? '?';
  const sources = `hires ${when('hires')}, care ${when('care')}, mail ${when('mail')}, API calls ${when('cost')}${initMs ? `, init ${when('init')}` : ''}`;
  if (
    missing.length ||
    !perHire ||
    !perHolidayMember ||
    !perBirthdayMember ||
    !perMail ||
    !perApiCall ||
    !grantPage
  )
    return { missing } as const;
  const units: MeasuredUnits = {
    perHire,
    perHolidayMember,
    perBirthdayMember,
    perMail,
    perApiCall,
    ...(initMs ? { initMs } : {}),
    itemBytes,
  };
  const province: ProvinceInputs = { grantPage, itemBytes };
  return { units, province, sources, missing } as const;
};
