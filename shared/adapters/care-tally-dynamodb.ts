/**
 * Care tallies and their yearly rollup in DynamoDB: one partition per year (`CARETALLY#<year>`),
 * the rollup at `SK=ROLLUP`, the tallies at `SK=TALLY#<ulid>` in the order they were made. Every
 * read is a Query (the dashboard's function may do nothing else); the rollup is one conditional
 * put, its rows stored as short arrays so that a university's year fits one item easily.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CareTallyRow, TallyRollup, TallyStore } from '../domain/care/tally.ts';
import { queryTalliesBetween } from './dynamo-helpers.ts';
import { ENTITY, keys } from './keys.ts';

type PackedRow = [string, string, CareTallyRow['category'], string, number, number, number, number];
const pack = (r: CareTallyRow): PackedRow => [
  r.branch,
  r.month,
  r.category,
  r.occasion,
  r.granted,
  r.reduced,
  r.skipped,
  r.amountFen,
];
const unpack = ([branch, month, category, occasion, granted, reduced, skipped, amountFen]: PackedRow) => ({
  branch,
  month,
  category,
  occasion,
  granted,
  reduced,
  skipped,
  amountFen,
});

export const dynamoTallyStore = (db: DynamoDBDocumentClient, tableName: string): TallyStore => ({
  async rollup(year) {
    const key = keys.careTallyRollup(year);
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND SK = :sk',
        ExpressionAttributeValues: { ':pk': key.PK, ':sk': key.SK },
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    if (!item) return undefined;
    return {
      year,
      through: item.through as string,
      rows: (item.rows as PackedRow[]).map(unpack),
      tallies: item.tallies as number,
      version: item.version as number,
      updatedAt: item.updatedAt as string,
    };
  },

  talliesBetween(year, after, before, limit) {
    return queryTalliesBetween(
      db,
      tableName,
      keys.careTally(year, ''),
      { after, before, limit },
      (i) => i.rows as CareTallyRow[],
    );
  },

  async saveRollup(r: TallyRollup) {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.careTallyRollup(r.year),
            entity: ENTITY.careTallyRollup,
            year: r.year,
            through: r.through,
            rows: r.rows.map(pack),
            tallies: r.tallies,
            version: r.version,
            updatedAt: r.updatedAt,
          },
          ...(r.version === 1
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': r.version - 1 },
              }),
        }),
      );
      return 'saved';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'conflict';
      throw error;
    }
  },
});

/** What a reader counts of a year: the rollup's rows and those of every tally after it. */
export const readTallies = async (store: TallyStore, year: number): Promise<CareTallyRow[]> => {
  const rollup = await store.rollup(year);
  const after = await store.talliesBetween(year, rollup?.through ?? '', undefined, Number.POSITIVE_INFINITY);
  return [...(rollup?.rows ?? []), ...after.flatMap((t) => t.rows)];
};
