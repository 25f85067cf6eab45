import { ConditionalCheckFailedException, type TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CounterMove, MemberRepository } from '../domain/members/apply-hr-events.ts';
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

/**
 * Takes the right to number a year for `writer` (free, already its own, or left behind by a batch
 * whose lease ran out) and answers the year's last number; undefined while another batch holds it.
 */
const takeNumbering = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  year: number,
  writer: string,
  leaseMs = NUMBERING_LEASE_MS,
): Promise<number | undefined> => {
  const now = Date.now();
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.membershipCounter(year),
        UpdateExpression: 'SET numberingBy = :writer, numberingUntil = :until, entity = :entity',
        ConditionExpression:
          'attribute_not_exists(numberingBy) OR numberingBy = :writer OR numberingUntil < :now',
        ExpressionAttributeValues: {
          ':writer': writer,
          ':until': now + leaseMs,
          ':now': now,
          ':entity': ENTITY.membershipCounter,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (out.Attributes?.last as number | undefined) ?? 0;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
};

/**
 * When only the counters (the transaction's first items) failed their condition: each one's value
 * now, from the cancellation reasons (the old item, or the value the save expected when the counter
 * was in another transaction at that moment). Undefined when anything else failed.
 */
const countersNow = (
  error: TransactionCanceledException,
  counters: CounterMove[],
): Map<number, number> | undefined => {
  const reasons = error.CancellationReasons ?? [];
  if (reasons.slice(counters.length).some((r) => r.Code && r.Code !== 'None')) return undefined;
  return new Map(
    counters.map((c, i) => {
      const reason = reasons[i];
      if (reason?.Code !== 'ConditionalCheckFailed') return [c.year, c.previous];
      const last = (reason.Item as Record<string, { N?: string }> | undefined)?.last?.N;
      return [c.year, last === undefined ? 0 : Number(last)];
    }),
  );
};

/**
 * How long a batch may hold the right to number a year (from taking it to its transaction): many
 * times a transaction's time on DynamoDB, and a batch that died holding it (a crash between the
 * two) holds up the year's numbering only this long, well within the hr queue's visibility
 * timeout, so the batches waiting meanwhile are not delivered again (with 5 s, the fault tests'
 * 2-s visibility sent crashed batches to the DLQ). A transaction that outlasts it is still
 * correct: the transaction checks the counter's value, and a batch that took over makes it fail.
 */
export const NUMBERING_LEASE_MS = 1_000;

export const dynamoMemberRepository = (
  db: DynamoDBDocumentClient,
  tableName: string,
  opts: { numberingLeaseMs?: number } = {},
): MemberRepository => ({
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

  async readBatch({ employeeIds, departments, years }) {
    // One BatchGetItem for all of it (a batch of 25 events: at most 25 + 25 + a year or two keys).
    const items = await batchGet(db, tableName, [
      ...employeeIds.map(keys.memberByEmployee),
      ...departments.map(keys.branchMapping),
      ...years.map(keys.membershipCounter),
    ]);
    const of = (entity: string) => items.filter((i) => i.entity === entity);
    const counterItems = new Map(of(ENTITY.membershipCounter).map((i) => [i.SK as string, i.last as number]));
    return {
      members: new Map(of(ENTITY.member).map((i) => [i.employeeId as string, memberFromItem(i)])),
      branches: new Map(
        of(ENTITY.branchMapping).map((i) => [i.departmentCode as string, i.branch as Branch]),
      ),
      counters: new Map(years.map((y) => [y, counterItems.get(keys.membershipCounter(y).SK) ?? 0])),
    };
  },

  async lastMembershipSequence(year) {
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.membershipCounter(year), ConsistentRead: true }),
    );
    return (out.Item?.last as number | undefined) ?? 0;
  },

  async save({ members, before, counters, events, settledTransfers = [], writer }) {
    const now = new Date();
    if (writer && counters.length > 0) {
      // The right to number each year first (years in order): a small write that another batch
      // numbering the year at the same moment makes fail, instead of a whole transaction
      // cancelled on the counter after DynamoDB did all its work.
      const moved = new Map<number, number>();
      for (const c of [...counters].sort((a, b) => a.year - b.year)) {
        const last = await takeNumbering(db, tableName, c.year, writer, opts.numberingLeaseMs);
        if (last === undefined) return 'busy';
        if (last !== c.previous) moved.set(c.year, last);
      }
      if (moved.size > 0)
        return { counters: new Map(counters.map((c) => [c.year, moved.get(c.year) ?? c.previous])) };
    }
    const counterUpdates = counters.map((c) => ({
      Update: {
        TableName: tableName,
        Key: keys.membershipCounter(c.year),
        // A batch that numbered gives the year back in the same transaction.
        UpdateExpression: `SET #last = :next, entity = :entity${writer ? ' REMOVE numberingBy, numberingUntil' : ''}`,
        ConditionExpression: [
          c.previous === 0 ? 'attribute_not_exists(#last)' : '#last = :previous',
          ...(writer ? ['numberingBy = :writer'] : []),
        ].join(' AND '),
        // A lost race on the counter tells where the counter is now: the batch numbers again from it.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: {
          ':next': c.next,
          ':entity': ENTITY.membershipCounter,
          ...(c.previous === 0 ? {} : { ':previous': c.previous }),
          ...(writer ? { ':writer': writer } : {}),
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
      if (!isLostRace(error)) throw error;
      const now = countersNow(error as TransactionCanceledException, counters);
      return now ? { counters: now } : 'conflict';
    }
  },
});
