import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MemberRepository } from '../domain/members/apply-hr-events.ts';
import { censusChange, sumCensus } from '../domain/members/census.ts';
import type { Branch, Member } from '../domain/members/member.ts';
import { censusTallyPut } from './census-dynamodb.ts';
import { isLostRace } from './dynamo-helpers.ts';
import { ENTITY, keys, withoutKeys } from './keys.ts';
import { outboxPut } from './outbox.ts';

/** A member as stored: listed by branch only once enrolled (a placeholder waits for its hire). */
export const memberItem = (m: Member) => ({
  ...keys.memberByEmployee(m.employeeId),
  ...keys.memberIdIndex(m.memberId),
  ...(m.enrolled && m.branch && m.membershipNumber
    ? { ...keys.branchIndex(m.branch.code, m.membershipNumber), ...keys.allMembersIndex(m.membershipNumber) }
    : {}),
  ...(m.enrolled && m.birthDate && (m.status === 'active' || m.status === 'retired')
    ? keys.birthdayIndex(m.birthDate, m.employeeId)
    : {}),
  entity: ENTITY.member,
  ...m,
});

export const memberFromItem = (item: Record<string, unknown>): Member => withoutKeys<Member>(item);

/** BatchGetItem takes at most 100 keys and may hand back unprocessed keys under load. */
export const batchGet = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keyList: Array<Record<string, string>>,
): Promise<Array<Record<string, unknown>>> => {
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < keyList.length; i += 100) {
    let request:
      | Record<string, { Keys: Array<Record<string, unknown>>; ConsistentRead: boolean }>
      | undefined = {
      [tableName]: { Keys: keyList.slice(i, i + 100), ConsistentRead: true },
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

export const dynamoMemberRepository = (db: DynamoDBDocumentClient, tableName: string): MemberRepository => ({
  async load(employeeIds) {
    if (employeeIds.length === 0) return new Map();
    const items = await batchGet(db, tableName, employeeIds.map(keys.memberByEmployee));
    return new Map(items.map((i) => [i.employeeId as string, memberFromItem(i)]));
  },

  async branchesFor(departmentCodes) {
    if (departmentCodes.length === 0) return new Map();
    const items = await batchGet(db, tableName, departmentCodes.map(keys.branchMapping));
    return new Map(items.map((i) => [i.departmentCode as string, i.branch as Branch]));
  },

  async lastMembershipSequence(year) {
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.membershipCounter(year), ConsistentRead: true }),
    );
    return (out.Item?.last as number | undefined) ?? 0;
  },

  async save({ members, before, counters, events, settledTransfers = [] }) {
    const now = new Date();
    const counterUpdates = counters.map((c) => ({
      Update: {
        TableName: tableName,
        Key: keys.membershipCounter(c.year),
        UpdateExpression: 'SET #last = :next, entity = :entity',
        ConditionExpression: c.previous === 0 ? 'attribute_not_exists(#last)' : '#last = :previous',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: {
          ':next': c.next,
          ':entity': ENTITY.membershipCounter,
          ...(c.previous === 0 ? {} : { ':previous': c.previous }),
        },
      },
    }));
    // Optimistic concurrency: the stored version must still be the one this batch read.
    const puts = members.map((m) => ({
      Put: {
        TableName: tableName,
        Item: memberItem(m),
        ...(m.version === 1
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: '#version = :previous',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':previous': m.version - 1 },
            }),
      },
    }));
    // An announced transfer has a marker item the daily apply-transfers finds by date.
    const transferMarkers = members.flatMap((m) =>
      m.pendingPlacement
        ? [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.pendingTransfer(m.employeeId),
                  ...keys.transfersDue(m.pendingPlacement.effectiveDate, m.employeeId),
                  entity: ENTITY.pendingTransfer,
                  employeeId: m.employeeId,
                  effectiveDate: m.pendingPlacement.effectiveDate,
                },
              },
            },
          ]
        : [],
    );
    const settled = settledTransfers.map((employeeId) => ({
      Delete: { TableName: tableName, Key: keys.pendingTransfer(employeeId) },
    }));
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...counterUpdates,
            ...puts,
            ...transferMarkers,
            ...settled,
            ...events.map((e) => outboxPut(tableName, e, now)),
            // Last, so a cancellation's reasons line up with the items above; a new item, never contended.
            ...censusTallyPut(
              tableName,
              sumCensus(members.map((m) => censusChange(before.get(m.employeeId), m))),
              now,
            ),
          ],
        }),
      );
      return 'saved';
    } catch (error) {
      if (isLostRace(error)) return 'conflict';
      throw error;
    }
  },
});
