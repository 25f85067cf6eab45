/** Life-event care requests in DynamoDB: one item each, listed by status through GSI1. */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CareRequest, RequestStatus, RequestStore } from '../domain/care/requests.ts';
import { ENTITY, keyFits, keys, withoutKeys } from './keys.ts';
import { dynamoMemberDirectory } from './member-directory-dynamodb.ts';
import { batchGet, memberFromItem } from './member-repository-dynamodb.ts';
import { outboxPut } from './outbox.ts';

const item = (r: CareRequest) => ({
  ...keys.careRequest(r.id),
  ...keys.careRequestsByStatus(r.status, r.createdAt, r.id),
  entity: ENTITY.careRequest,
  ...r,
});

const fromItem = (i: Record<string, unknown>): CareRequest => withoutKeys<CareRequest>(i);

export const dynamoCareRequestStore = (db: DynamoDBDocumentClient, tableName: string): RequestStore => {
  const members = dynamoMemberDirectory(db, tableName);
  return {
    async get(id) {
      if (!keyFits(keys.careRequest(id))) return undefined;
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.careRequest(id), ConsistentRead: true }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    },
    async create(r, event) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: { TableName: tableName, Item: item(r), ConditionExpression: 'attribute_not_exists(PK)' },
              },
              outboxPut(tableName, event, new Date()),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        )
          return false;
        throw error;
      }
    },
    async decide(r) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: item(r),
            ConditionExpression: '#version = :previous',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':previous': r.version - 1 },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async list(status: RequestStatus | undefined, branch: string | undefined) {
      const statuses: RequestStatus[] = status ? [status] : ['pending', 'approved', 'rejected'];
      const result: CareRequest[] = [];
      for (const s of statuses) {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: 'GSI1',
              KeyConditionExpression: 'GSI1PK = :pk',
              ExpressionAttributeValues: { ':pk': `CAREREQ#${s}`, ...(branch ? { ':b': branch } : {}) },
              ...(branch
                ? { FilterExpression: '#branch = :b', ExpressionAttributeNames: { '#branch': 'branch' } }
                : {}),
              ExclusiveStartKey: start,
            }),
          );
          result.push(...(out.Items ?? []).map(fromItem));
          start = out.LastEvaluatedKey;
        } while (start);
      }
      return result;
    },
    memberById: (id) => members.byMemberId(id),
    memberByEmployee: (id) => members.byEmployee(id),
    async membersByEmployee(ids) {
      const items = await batchGet(db, tableName, ids.map(keys.memberByEmployee));
      return new Map(items.map((i) => [i.employeeId as string, memberFromItem(i)]));
    },
  };
};
