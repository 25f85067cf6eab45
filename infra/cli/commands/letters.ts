/**
 * The members' voice for an officer at the command line.
 *
 * `gonghui letters report --year YYYY`: the chair's mailbox summary of a year by category (count,
 * answered, median and maximum days to the first answer), read from the local runtime's table
 * with the same use case as GET /reports/letters.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoLetterStore, dynamoPeople } from '../../../shared/adapters/letter-store-dynamodb.ts';
import { dynamoSurveyStore } from '../../../shared/adapters/survey-store-dynamodb.ts';
import { newId } from '../../../shared/domain/ids.ts';
import { letterReport } from '../../../shared/domain/voice/letters.ts';
import { readResults } from '../../../shared/domain/voice/surveys.ts';
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

/**
 * `gonghui survey results --id ID [--branch CODE]`: a closed survey's aggregate results, as the
 * chair reads them at GET /surveys/{id}/results (the same use case: no breakdown under five).
 */
export const surveyResultsCommand = async (opts: { id?: string; branch?: string }) => {
  if (!opts.id) throw new CliError('--id SURVEY_ID is required');
  const info = loadRuntimeInfo();
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
  );
  const operator = { sub: 'cli', roles: new Set(['admin'] as const) };
  return readResults(operator, opts.id, () => (opts.branch ? { branch: opts.branch } : {}), {
    store: dynamoSurveyStore(db, info.tableName),
    people: dynamoPeople(db, info.tableName),
    now: () => new Date(),
    newId,
  });
};
