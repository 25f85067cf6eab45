/**
 * `gonghui activities participants --id`, `gonghui mutual-aid enrolled --year`, `gonghui awards
 * results --id`: what an organiser or the union office wants from the command line, read through
 * the same use cases the API runs, as the chair sees them, against the local runtime's table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoActivityStore } from '../../../shared/adapters/activity-store-dynamodb.ts';
import { dynamoAwardStore } from '../../../shared/adapters/award-store-dynamodb.ts';
import { dynamoMemberLookup, dynamoMemberRoster } from '../../../shared/adapters/member-lookup-dynamodb.ts';
import { dynamoMutualAidStore } from '../../../shared/adapters/mutual-aid-store-dynamodb.ts';
import { participants } from '../../../shared/domain/activities/activities-service.ts';
import { results } from '../../../shared/domain/awards/awards-service.ts';
import { newId } from '../../../shared/domain/ids.ts';
import { enrolledRows } from '../../../shared/domain/mutual-aid/mutual-aid-service.ts';
import type { Principal } from '../../../shared/domain/principal.ts';
import { CliError, loadRuntimeInfo, localClientConfig } from '../runtime-info.ts';

const local = () => {
  const info = loadRuntimeInfo();
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
  );
  const members = dynamoMemberLookup(db, info.tableName);
  return { db, table: info.tableName, members, now: () => new Date(), newId };
};

/** The operator reads as the chair does. */
const operator: Principal = { sub: 'cli', roles: new Set(['chair'] as const) };

const idOf = (opts: { id?: string }) => {
  if (!opts.id) throw new CliError('--id is required');
  return opts.id;
};

export const activityParticipants = async (opts: { id?: string }) => {
  const { db, table, ...deps } = local();
  return participants(operator, idOf(opts), { ...deps, store: dynamoActivityStore(db, table) });
};

export const mutualAidEnrolled = async (opts: { year?: string }) => {
  if (!opts.year) throw new CliError('--year YYYY is required');
  const { db, table, ...deps } = local();
  return enrolledRows(operator, opts.year, {
    ...deps,
    store: dynamoMutualAidStore(db, table),
    roster: dynamoMemberRoster(db, table),
  });
};

export const awardResults = async (opts: { id?: string }) => {
  const { db, table, ...deps } = local();
  return results(operator, idOf(opts), { ...deps, store: dynamoAwardStore(db, table) });
};
