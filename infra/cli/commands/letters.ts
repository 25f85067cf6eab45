/**
 * `gonghui letters report --year YYYY`: the chair's mailbox summary of a year by category (count,
 * answered, median and maximum days to the first answer), read from the local runtime's table
 * with the same use case as GET /reports/letters.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoLetterStore, dynamoPeople } from '../../../shared/adapters/letter-store-dynamodb.ts';
import { newId } from '../../../shared/domain/ids.ts';
import { letterReport } from '../../../shared/domain/voice/letters.ts';
import { CliError, loadRuntimeInfo, localClientConfig } from '../runtime-info.ts';

export const lettersReport = async (opts: { year?: string }) => {
  const year = Number(opts.year);
  if (!opts.year || !Number.isInteger(year) || year < 2000 || year > 2100)
    throw new CliError('--year YYYY is required');
  const info = loadRuntimeInfo();
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
  );
  // The operator's view: the whole mailbox, as an admin sees the report.
  const operator = { sub: 'cli', roles: new Set(['admin'] as const) };
  return letterReport(operator, () => year, {
    store: dynamoLetterStore(db, info.tableName),
    people: dynamoPeople(db, info.tableName),
    now: () => new Date(),
    newId,
  });
};
