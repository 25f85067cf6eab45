/**
 * `gonghui calendar --year`, `gonghui care plan --date`, `gonghui care ledger --year`: the union
 * calendar, the planner for any date (the same use case the 08:00 schedule runs), the ledger.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sqsCareQueue } from '../../../shared/adapters/care-queue-sqs.ts';
import { dynamoCareStore, queryLedger } from '../../../shared/adapters/care-store-dynamodb.ts';
import { prepareCalendar } from '../../../shared/domain/care/calendar.ts';
import { readLedger } from '../../../shared/domain/care/ledger.ts';
import { arrangementWarnings, calendarOf, planCare } from '../../../shared/domain/care/planner.ts';
import { NO_SETTINGS } from '../../../shared/domain/care/settings.ts';
import { newId } from '../../../shared/domain/ids.ts';
import { CliError, loadRuntimeInfo, localClientConfig } from '../runtime-info.ts';

const local = () => {
  const info = loadRuntimeInfo();
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return { info, db, store: dynamoCareStore(db, info.tableName) };
};

/**
 * The union calendar of a year under the runtime's settings (the union's own occasions, working-day
 * overrides, working days ahead from the policy); without a runtime, the shipped defaults. Warns
 * when the year's or the next year's 调休 arrangement is in neither the library nor the overrides.
 */
export const calendarCommand = async (opts: { year?: string }) => {
  const year = Number(opts.year ?? new Date().getFullYear());
  if (!Number.isInteger(year) || year < 1901 || year > 2099)
    throw new CliError('--year takes a year, e.g. --year 2026');
  let settings = NO_SETTINGS;
  let source: 'runtime' | 'defaults' = 'defaults';
  try {
    settings = await local().store.settings();
    source = 'runtime';
  } catch {
    settings = NO_SETTINGS;
  }
  await prepareCalendar([year, year + 1]);
  return {
    entries: calendarOf(year, settings),
    warnings: arrangementWarnings([year, year + 1], settings),
    source,
  };
};

export const carePlan = async (opts: { date?: string }) => {
  if (!opts.date || !/^\d{4}-\d{2}-\d{2}$/.test(opts.date))
    throw new CliError('--date YYYY-MM-DD is required');
  const { info, store } = local();
  const sqs = new SQSClient(localClientConfig(info, info.endpoints.sqs));
  return planCare(opts.date, {
    store,
    queue: sqsCareQueue(sqs, info.queues.care.url),
    now: () => new Date(),
    newId,
  });
};

export const careLedger = async (opts: { year?: string; branch?: string; occasion?: string }) => {
  const year = Number(opts.year);
  if (!Number.isInteger(year)) throw new CliError('--year YYYY is required');
  const { info, db, store } = local();
  // The operator's view: the whole ledger, as an auditor sees it.
  const auditor = { sub: 'cli', roles: new Set(['auditor'] as const) };
  return readLedger(
    auditor,
    () => ({
      year,
      ...(opts.branch ? { branch: opts.branch } : {}),
      ...(opts.occasion ? { occasion: opts.occasion } : {}),
    }),
    { branches: () => store.branches(), entries: (q) => queryLedger(db, info.tableName, q) },
  );
};
