/**
 * `gonghui calendar --year`, `gonghui care plan --date`, `gonghui care ledger --year`: the union
 * calendar, the planner for any date (the same use case the 08:00 schedule runs), the ledger.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sqsCareQueue } from '../../../shared/adapters/care-queue-sqs.ts';
import { dynamoCareStore, queryLedger } from '../../../shared/adapters/care-store-dynamodb.ts';
import { unionCalendar } from '../../../shared/domain/care/calendar.ts';
import { readLedger } from '../../../shared/domain/care/ledger.ts';
import { planCare } from '../../../shared/domain/care/planner.ts';
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

export const calendarCommand = async (opts: { year?: string }) => {
  const year = Number(opts.year ?? new Date().getFullYear());
  if (!Number.isInteger(year) || year < 1901 || year > 2099)
    throw new CliError('--year takes a year, e.g. --year 2026');
  // The override table lives in the runtime's settings; without a runtime the library's data is used.
  let overrides: Awaited<ReturnType<ReturnType<typeof dynamoCareStore>['workdayOverrides']>> = [];
  try {
    overrides = await local().store.workdayOverrides();
  } catch {
    overrides = [];
  }
  return unionCalendar(year, { overrides });
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
