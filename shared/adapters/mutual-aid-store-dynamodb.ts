import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MutualAidChoice, MutualAidWindow } from '../domain/mutual-aid/mutual-aid.ts';
import type { MutualAidStore } from '../domain/mutual-aid/mutual-aid-service.ts';
import { isLostRace, queryAll } from './dynamo-helpers.ts';
import { ENTITY, keyFits, keys, withoutKeys } from './keys.ts';
import { emitOnce, outboxPut } from './outbox.ts';

export const dynamoMutualAidStore = (db: DynamoDBDocumentClient, tableName: string): MutualAidStore => {
  /** Every item of a partition under an SK prefix, read consistently. */
  const queryPrefix = (pk: string, prefix: string) =>
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ConsistentRead: true,
    });

  return {
    async window(year) {
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.mutualAidWindow(year), ConsistentRead: true }),
      );
      return out.Item ? withoutKeys<MutualAidWindow>(out.Item) : undefined;
    },

    async windows() {
      return (await queryPrefix('MUTUALAID', 'YEAR#')).map((i) => withoutKeys<MutualAidWindow>(i));
    },

    async saveWindow(window) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.mutualAidWindow(window.year), entity: ENTITY.mutualAidWindow, ...window },
        }),
      );
    },

    async choice(year, employeeId) {
      const key = keys.mutualAidChoice(year, employeeId);
      if (!keyFits(key)) return undefined;
      const out = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return out.Item ? withoutKeys<MutualAidChoice>(out.Item) : undefined;
    },

    async choices(year) {
      return (await queryPrefix(keys.mutualAidChoice(year, '').PK, 'MEMBER#')).map((i) =>
        withoutKeys<MutualAidChoice>(i),
      );
    },

    async saveChoice(choice, event) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.mutualAidChoice(choice.year, choice.employeeId),
                    entity: ENTITY.mutualAidChoice,
                    ...choice,
                  },
                  ...(choice.changes === 1
                    ? { ConditionExpression: 'attribute_not_exists(PK)' }
                    : {
                        ConditionExpression: '#changes = :previous',
                        ExpressionAttributeNames: { '#changes': 'changes' },
                        ExpressionAttributeValues: { ':previous': choice.changes - 1 },
                      }),
                },
              },
              outboxPut(tableName, event, new Date()),
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
