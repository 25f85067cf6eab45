/** Awards in DynamoDB: the award, its nominations (with the counts) and its votes in one partition. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Award, Nomination } from '../domain/awards/award.ts';
import type { AwardStore } from '../domain/awards/awards-service.ts';
import { queryAll as queryAllItems } from './dynamo-helpers.ts';
import { ENTITY, keyFits, keys, withoutKeys } from './keys.ts';
import { emitOnce, outboxPut } from './outbox.ts';

const awardItem = (a: Award) => ({
  ...keys.award(a.id),
  ...keys.awardsByDate(a.nominationOpensOn, a.id),
  entity: ENTITY.award,
  ...a,
});

const reasons = (error: unknown) => {
  if (!(error instanceof TransactionCanceledException)) throw error;
  return (error.CancellationReasons ?? []).map((r) => r.Code);
};

export const dynamoAwardStore = (db: DynamoDBDocumentClient, tableName: string): AwardStore => {
  const queryAll = (input: QueryCommandInput) => queryAllItems(db, input);
  const getItem = async (key: Record<string, string>) => {
    if (!keyFits(key)) return undefined;
    return (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  };

  return {
    async get(id) {
      const item = await getItem(keys.award(id));
      return item ? withoutKeys<Award>(item) : undefined;
    },

    async list() {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk',
        ExpressionAttributeValues: { ':pk': 'AWARDS' },
      });
      return items.map((i) => withoutKeys<Award>(i));
    },

    async create(award) {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: awardItem(award),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    },

    async nomination(awardId, employeeId) {
      const item = await getItem(keys.awardNomination(awardId, employeeId));
      return item ? withoutKeys<Nomination>(item) : undefined;
    },

    async nominations(awardId) {
      if (!keyFits(keys.award(awardId))) return [];
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :nom)',
        ExpressionAttributeValues: { ':pk': keys.award(awardId).PK, ':nom': 'NOM#' },
        ConsistentRead: true,
      });
      return items.map((i) => withoutKeys<Nomination>(i));
    },

    async addNomination(nomination, event) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.awardNomination(nomination.awardId, nomination.employeeId),
                    entity: ENTITY.awardNomination,
                    ...nomination,
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              outboxPut(tableName, event, new Date()),
            ],
          }),
        );
        return 'saved';
      } catch (error) {
        if (reasons(error)[0] === 'ConditionalCheckFailed') return 'exists';
        throw error;
      }
    },

    async shortlist({ award, changes, event }) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: awardItem(award),
                  ConditionExpression: '#version = :previous',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':previous': award.version - 1 },
                },
              },
              ...changes.map((c) => ({
                Update: {
                  TableName: tableName,
                  Key: keys.awardNomination(award.id, c.nominationId),
                  UpdateExpression: 'SET shortlisted = :s',
                  ConditionExpression: 'attribute_exists(PK)',
                  ExpressionAttributeValues: { ':s': c.shortlisted },
                },
              })),
              outboxPut(tableName, event, new Date()),
            ],
          }),
        );
        return 'saved';
      } catch (error) {
        const codes = reasons(error);
        if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict'))
          return 'conflict';
        throw error;
      }
    },

    async hasVoted(awardId, employeeId) {
      return (await getItem(keys.awardVote(awardId, employeeId))) !== undefined;
    },

    async vote({ awardId, voter, nominationId, at, event }) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  // That the member voted, and when; not for whom.
                  Item: { ...keys.awardVote(awardId, voter), entity: ENTITY.awardVote, awardId, voter, at },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: keys.awardNomination(awardId, nominationId),
                  UpdateExpression: 'ADD votes :one',
                  ConditionExpression: 'shortlisted = :yes',
                  ExpressionAttributeValues: { ':one': 1, ':yes': true },
                },
              },
              outboxPut(tableName, event, new Date()),
            ],
          }),
        );
        return 'saved';
      } catch (error) {
        const codes = reasons(error);
        if (codes[0] === 'ConditionalCheckFailed') return 'voted';
        if (codes[1] === 'ConditionalCheckFailed') return 'not_shortlisted';
        if (codes.some((c) => c === 'TransactionConflict')) return 'conflict';
        throw error;
      }
    },

    emitOnce: (event) => emitOnce(db, tableName, event),
  };
};
