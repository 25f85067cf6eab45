import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ActivityStore } from '../domain/activities/activities-service.ts';
import type { Activity, Registration } from '../domain/activities/activity.ts';
import { isLostRace, queryAll as queryAllItems } from './dynamo-helpers.ts';
import { ENTITY, keyFits, keys, withoutKeys } from './keys.ts';
import { emitOnce, outboxPut } from './outbox.ts';

const activityItem = (a: Activity) => ({
  ...keys.activity(a.id),
  ...keys.activitiesByDate(a.date, a.id),
  entity: ENTITY.activity,
  ...a,
});

const registrationItem = (r: Registration) => ({
  ...keys.activityRegistration(r.activityId, r.employeeId),
  entity: ENTITY.activityRegistration,
  ...r,
});

export const dynamoActivityStore = (db: DynamoDBDocumentClient, tableName: string): ActivityStore => {
  const queryAll = (input: QueryCommandInput) => queryAllItems(db, input);

  return {
    async get(id) {
      if (!keyFits(keys.activity(id))) return undefined;
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.activity(id), ConsistentRead: true }),
      );
      return out.Item ? withoutKeys<Activity>(out.Item) : undefined;
    },

    async registration(activityId, employeeId) {
      const key = keys.activityRegistration(activityId, employeeId);
      if (!keyFits(key)) return undefined;
      const out = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return out.Item ? withoutKeys<Registration>(out.Item) : undefined;
    },

    async registrations(activityId) {
      if (!keyFits(keys.activity(activityId))) return [];
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :reg)',
        ExpressionAttributeValues: { ':pk': keys.activity(activityId).PK, ':reg': 'REG#' },
        ConsistentRead: true,
      });
      return items.map((i) => withoutKeys<Registration>(i));
    },

    async upcoming(from) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK >= :from',
        ExpressionAttributeValues: { ':pk': 'ACTIVITYDAY', ':from': from },
      });
      return items.map((i) => withoutKeys<Activity>(i));
    },

    async on(date) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk AND begins_with(GSI4SK, :date)',
        ExpressionAttributeValues: { ':pk': 'ACTIVITYDAY', ':date': `${date}#` },
      });
      return items.map((i) => withoutKeys<Activity>(i));
    },

    async create(activity, event) {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: activityItem(activity),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            outboxPut(tableName, event, new Date()),
          ],
        }),
      );
    },

    async commit({ activity, registrations, events }) {
      const now = new Date();
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: activityItem(activity),
                  ConditionExpression: '#version = :previous',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':previous': activity.version - 1 },
                },
              },
              ...registrations.map((r) => ({ Put: { TableName: tableName, Item: registrationItem(r) } })),
              ...events.map((e) => outboxPut(tableName, e, now)),
            ],
          }),
        );
        return 'saved';
      } catch (error) {
        if (isLostRace(error)) return 'conflict';
        throw error;
      }
    },

    emitOnce: (event) => emitOnce(db, tableName, event),
  };
};
