/**
 * plan-care: the daily planner (08:00 Asia/Shanghai). "Today" is the scheduled time's date in
 * Shanghai, or `date` when run by hand (`gonghui care plan --date`).
 */
import { careDeps } from '../shared/config/care-deps.ts';
import { planCare } from '../shared/domain/care/planner.ts';
import { shanghaiDate } from '../shared/domain/time.ts';
import { logger } from '../shared/observability/logger.ts';

const deps = careDeps();

export const handler = async (event: { scheduledTime?: string; date?: string }) => {
  const date = event.date ?? shanghaiDate(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`invalid date ${date}`);
  const result = await planCare(date, deps);
  for (const warning of result.warnings) logger.warn(warning);
  logger.info('Care planned', { ...result, warnings: result.warnings.length });
  return result;
};
