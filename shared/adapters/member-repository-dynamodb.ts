/** Members in DynamoDB: one item per member, keyed by 工号, indexed by memberId and by branch. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../events/domain.ts';
import type { EnrolmentRepository } from '../domain/members/enrol-hires.ts';
import type { Branch, Member } from '../domain/members/member.ts';
import { ENTITY, keys } from './keys.ts';
import { outboxPut } from './outbox.ts';

export const memberItem = (m: Member) => ({
  ...keys.memberByEmployee(m.employeeId),
  ...keys.memberIdIndex(m.memberId),
  ...keys.branchIndex(m.branch.code, m.membershipNumber),
  entity: ENTITY.member,
  ...m,
});

/** BatchGetItem takes at most 100 keys and may hand back unprocessed keys under load. */
const batchGet = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keyList: Array<Record<string, string>>,
  projection: string,
): Promise<Array<Record<string, unknown>>> => {
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < keyList.length; i += 100) {
    let request: Record<string, { Keys: Array<Record<string, unknown>>; ProjectionExpression: string }> | undefined = {
      [tableName]: { Keys: keyList.slice(i, i + 100), ProjectionExpression: projection },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const out = await db.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(out.Responses?.[tableName] ?? []));
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return items;
};

export const dynamoEnrolmentRepository = (db: DynamoDBDocumentClient, tableName: string): EnrolmentRepository => ({
  async existingEmployees(employeeIds) {
    if (employeeIds.length === 0) return new Set();
    const items = await batchGet(db, tableName, employeeIds.map(keys.memberByEmployee), 'employeeId');
    return new Set(items.map((i) => i.employeeId as string));
  },

  async branchesFor(departmentCodes) {
    if (departmentCodes.length === 0) return new Map();
    const items = await batchGet(db, tableName, departmentCodes.map(keys.branchMapping), 'departmentCode, branch');
    return new Map(items.map((i) => [i.departmentCode as string, i.branch as Branch]));
  },

  async lastMembershipSequence(year) {
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.membershipCounter(year), ConsistentRead: true }),
    );
    return (out.Item?.last as number | undefined) ?? 0;
  },

  async enrol(year, previous, members, events: DomainEvent[]) {
    const now = new Date();
    const counter = {
      Update: {
        TableName: tableName,
        Key: keys.membershipCounter(year),
        UpdateExpression: 'SET #last = :next, entity = :entity',
        ConditionExpression: previous === 0 ? 'attribute_not_exists(#last)' : '#last = :previous',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: {
          ':next': previous + members.length,
          ':entity': ENTITY.membershipCounter,
          ...(previous === 0 ? {} : { ':previous': previous }),
        },
      },
    };
    const puts = members.map((m) => ({
      Put: { TableName: tableName, Item: memberItem(m), ConditionExpression: 'attribute_not_exists(PK)' },
    }));
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [counter, ...puts, ...events.map((e) => outboxPut(tableName, e, now))],
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const taken = members
        .filter((_, i) => reasons[i + 1]?.Code === 'ConditionalCheckFailed')
        .map((m) => m.employeeId);
      if (taken.length > 0) return { ok: false, reason: 'already-members', employeeIds: taken };
      // The counter moved, or another transaction touched the same items at the same time.
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
        return { ok: false, reason: 'counter-moved' };
      }
      throw error;
    }
  },
});
