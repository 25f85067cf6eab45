/**
 * Care in DynamoDB. A grant is one transaction: the member's yearly totals (under its version,
 * so a concurrent HR change or grant makes it read again), the grant item (once per member,
 * occasion and year: it is the ledger entry), and the outbox event for the mail.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../events/domain.ts';
import type { CareStore, GrantOutcome, GrantRecord } from '../domain/care/grants.ts';
import { tallyOf } from '../domain/care/tally.ts';
import { newId } from '../domain/ids.ts';
import { censusChange, sumCensus } from '../domain/members/census.ts';
import type { Member } from '../domain/members/member.ts';
import { SCHOOL_UNION } from '../domain/members/member.ts';
import { dynamoCareSettings } from './care-settings-dynamodb.ts';
import { censusTallyPut } from './census-dynamodb.ts';
import { ENTITY, keys, withoutKeys } from './keys.ts';
import { decodeCursor, encodeCursor } from './member-directory-dynamodb.ts';
import { memberFromItem } from './member-repository-dynamodb.ts';
import { outboxPut } from './outbox.ts';

export const grantItem = (r: GrantRecord) => ({
  ...keys.careGrant(r.employeeId, r.year, r.occasion),
  ...keys.ledgerIndex(r.year, r.branch.code, r.occasion, r.date, r.employeeId),
  entity: ENTITY.careGrant,
  ...r,
});

type GrantEntry = { member: Member; record: GrantRecord; event: DomainEvent | undefined };

/** The member's yearly totals with a grant added. */
const careWith = (member: Member, record: GrantRecord): NonNullable<Member['care']> => {
  const year = String(record.year);
  const care = { ...(member.care ?? {}) };
  care[year] = {
    ...(care[year] ?? {}),
    [record.category]: (care[year]?.[record.category] ?? 0) + record.amountFen,
  };
  return care;
};

/** A grant's items: the member's yearly totals under its version, the grant (once), its event. */
const grantItems = (tableName: string, { member, record, event }: GrantEntry, now: Date) => {
  const care = careWith(member, record);
  return [
    {
      Update: {
        TableName: tableName,
        Key: keys.memberByEmployee(member.employeeId),
        UpdateExpression: 'SET #care = :care, #version = :next',
        ConditionExpression: '#version = :current',
        ExpressionAttributeNames: { '#care': 'care', '#version': 'version' },
        ExpressionAttributeValues: {
          ':care': care,
          ':next': member.version + 1,
          ':current': member.version,
        },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: grantItem(record),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    ...(event ? [outboxPut(tableName, event, now)] : []),
  ];
};

export const dynamoCareStore = (db: DynamoDBDocumentClient, tableName: string): CareStore => {
  const queryPage = async (
    input: ConstructorParameters<typeof QueryCommand>[0],
    cursor: string | undefined,
  ) => {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: decodeCursor(cursor) }));
    const next = encodeCursor(out.LastEvaluatedKey);
    return { members: (out.Items ?? []).map(memberFromItem), ...(next ? { cursor: next } : {}) };
  };

  const settings = dynamoCareSettings(db, tableName);

  /**
   * Many grants in one transaction (at most 32: three items each, a tally per year of the grants
   * and the census tally, so 96 items and two tallies at most). When it is cancelled, the
   * reasons say which grants failed their condition (granted already, or the member changed):
   * those get their outcome and the rest go again, so one member never holds back the others.
   */
  const grantAll = async (entries: GrantEntry[]): Promise<GrantOutcome[]> => {
    const outcomes: Array<GrantOutcome | undefined> = entries.map(() => undefined);
    let pending = entries.map((_, i) => i);
    while (pending.length) {
      const now = new Date();
      const parts = pending.map((i) => grantItems(tableName, entries[i]!, now));
      // The tallies go last, so that a cancellation's reasons still line up with `parts`.
      const tallies = [...tallyOf(pending.map((i) => entries[i]!.record))].map(([year, rows]) => ({
        Put: {
          TableName: tableName,
          Item: {
            ...keys.careTally(year, newId()),
            entity: ENTITY.careTally,
            year,
            rows,
            createdAt: now.toISOString(),
          },
        },
      }));
      // The members' new totals, counted by the census (a grant of 0 changes nothing there).
      const census = censusTallyPut(
        tableName,
        sumCensus(
          pending.map((i) => {
            const { member, record } = entries[i]!;
            return censusChange(member, { ...member, care: careWith(member, record) });
          }),
        ),
        now,
      );
      try {
        await db.send(new TransactWriteCommand({ TransactItems: [...parts.flat(), ...tallies, ...census] }));
        for (const i of pending) outcomes[i] = 'granted';
        break;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = (error.CancellationReasons ?? []).map((r) => r.Code);
        let at = 0;
        const decided: number[] = [];
        pending.forEach((i, k) => {
          const [memberReason, grantReason] = [reasons[at], reasons[at + 1]];
          at += parts[k]!.length;
          if (grantReason === 'ConditionalCheckFailed') outcomes[i] = 'already';
          else if (
            memberReason === 'ConditionalCheckFailed' ||
            memberReason === 'TransactionConflict' ||
            grantReason === 'TransactionConflict'
          )
            outcomes[i] = 'conflict';
          else return;
          decided.push(i);
        });
        // Cancelled for a reason no grant explains (throttling, validation): not ours to decide.
        if (!decided.length) throw error;
        pending = pending.filter((i) => outcomes[i] === undefined);
      }
    }
    return outcomes as GrantOutcome[];
  };

  return {
    settings: () => settings.settings(),

    async policies() {
      return (await settings.settings()).policies;
    },

    async branches() {
      const out = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.branchRegistry('').PK },
        }),
      );
      return [...new Set([SCHOOL_UNION.code, ...(out.Items ?? []).map((i) => i.code as string)])];
    },

    membersOfBranch(branch, cursor, limit) {
      return queryPage(
        {
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': `BRANCH#${branch}` },
          Limit: limit,
        },
        cursor,
      );
    },

    async birthdays(monthDays, cursor, limit) {
      // Two month-days only on 28 February of a common year; the cursor then names which one.
      const state = cursor
        ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { i: number; c?: string })
        : { i: 0 };
      const md = monthDays[state.i];
      if (!md) return { members: [] };
      const page = await queryPage(
        {
          TableName: tableName,
          IndexName: 'GSI4',
          KeyConditionExpression: 'GSI4PK = :pk',
          ExpressionAttributeValues: { ':pk': `BIRTHDAY#${md}` },
          Limit: limit,
        },
        state.c,
      );
      const next = page.cursor
        ? { i: state.i, c: page.cursor }
        : state.i + 1 < monthDays.length
          ? { i: state.i + 1 }
          : undefined;
      return {
        members: page.members,
        ...(next ? { cursor: Buffer.from(JSON.stringify(next)).toString('base64url') } : {}),
      };
    },

    async member(employeeId) {
      const out = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.memberByEmployee(employeeId),
          ConsistentRead: true,
        }),
      );
      return out.Item ? memberFromItem(out.Item) : undefined;
    },

    async grant(member, record, event) {
      return (await grantAll([{ member, record, event }]))[0]!;
    },

    grantAll,
  };
};

/** The ledger for audit: a year's grants by branch (and occasion), straight from the index. */
export const queryLedger = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  q: { year: number; branch: string; occasion?: string },
): Promise<GrantRecord[]> => {
  const items: GrantRecord[] = [];
  // A life-event kind (`hospital`) stands for each of its grants (`hospital:<request>#…`): the
  // prefix without '#' finds them, and what merely starts alike (`hospitality#…`) is left out.
  const kind = q.occasion && !q.occasion.includes(':') ? q.occasion : undefined;
  const mine = (occasion: string) => !kind || occasion === kind || occasion.startsWith(`${kind}:`);
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: q.occasion ? 'GSI2PK = :pk AND begins_with(GSI2SK, :o)' : 'GSI2PK = :pk',
        ExpressionAttributeValues: {
          ':pk': `LEDGER#${q.year}#${q.branch}`,
          ...(q.occasion ? { ':o': kind ?? `${q.occasion}#` } : {}),
        },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of out.Items ?? []) if (mine(String(i.occasion))) items.push(withoutKeys<GrantRecord>(i));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};

/** One member's grants of a year: their own partition (`GRANT#<year>#…` beside the member). */
export const queryMemberGrants = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  employeeId: string,
  year: number,
): Promise<GrantRecord[]> => {
  const key = keys.careGrant(employeeId, year, '');
  const items: GrantRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
        ExpressionAttributeValues: { ':pk': key.PK, ':sk': key.SK },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of out.Items ?? []) items.push(withoutKeys<GrantRecord>(i));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};
