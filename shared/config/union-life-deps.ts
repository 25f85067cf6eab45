/** The union-life contexts' wiring (activities, mutual aid, awards), shared by their API and daily job. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoActivityStore } from '../adapters/activity-store-dynamodb.ts';
import { dynamoAwardStore } from '../adapters/award-store-dynamodb.ts';
import { dynamoMemberLookup, dynamoMemberRoster } from '../adapters/member-lookup-dynamodb.ts';
import { dynamoMutualAidStore } from '../adapters/mutual-aid-store-dynamodb.ts';
import type { ActivityDeps } from '../domain/activities/activities-service.ts';
import type { AwardDeps } from '../domain/awards/awards-service.ts';
import { newId } from '../domain/ids.ts';
import type { MutualAidDeps } from '../domain/mutual-aid/mutual-aid-service.ts';
import { readEnv } from './config.ts';
import { ENV } from './env-names.ts';

export const unionLifeDeps = (db: DynamoDBDocumentClient) => {
  const table = readEnv(ENV.tableName);
  const members = dynamoMemberLookup(db, table);
  const now = () => new Date();
  const activities: ActivityDeps = { store: dynamoActivityStore(db, table), members, now, newId };
  const mutualAid: MutualAidDeps = {
    store: dynamoMutualAidStore(db, table),
    members,
    roster: dynamoMemberRoster(db, table),
    now,
    newId,
  };
  const awards: AwardDeps = { store: dynamoAwardStore(db, table), members, now, newId };
  return { activities, mutualAid, awards };
};
