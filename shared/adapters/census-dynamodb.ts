/**
 * The member census in DynamoDB (census.ts), in one partition `CENSUS`: the tallies at
 * `SK=TALLY#<ulid>` in the order they were made, written inside the transactions that change
 * members (censusTallyPut); the rollup at `SK=ROLLUP`, naming the chunks that hold its rows
 * (`SK=ROLLUP#<version>#<set>#<n>`, written first and never changed, so a reader never sees half a
 * rollup). Rows are stored as short arrays. Every read is a Query (the dashboard may do no other).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CareCategory } from '../domain/care/policy.ts';
import { newId } from '../domain/ids.ts';
import {
  type CensusCareRow,
  type CensusMembersRow,
  type CensusRollup,
  type CensusRows,
  type CensusStore,
  isEmptyCensus,
} from '../domain/members/census.ts';
import type { MemberStatus } from '../domain/members/member.ts';
import { queryAll, queryTalliesBetween } from './dynamo-helpers.ts';
import { ENTITY, keys } from './keys.ts';

type PackedMembers = [string, string, string, string, string, number];
type PackedCare = [string, string, string, string, number, string, number, number];

const packRows = (r: CensusRows) => ({
  members: r.members.map(
    (m): PackedMembers => [m.branch, m.branchName, m.status, m.gender, m.joinedOn, m.count],
  ),
  care: r.care.map(
    (c): PackedCare => [c.branch, c.status, c.gender, c.joinedOn, c.year, c.category, c.spentFen, c.count],
  ),
});

const unpackRows = (item: Record<string, unknown>): CensusRows => ({
  members: ((item.members ?? []) as PackedMembers[]).map(
    ([branch, branchName, status, gender, joinedOn, count]): CensusMembersRow => ({
      branch,
      branchName,
      status: status as MemberStatus | '',
      gender: gender as CensusMembersRow['gender'],
      joinedOn,
      count,
    }),
  ),
  care: ((item.care ?? []) as PackedCare[]).map(
    ([branch, status, gender, joinedOn, year, category, spentFen, count]): CensusCareRow => ({
      branch,
      status: status as MemberStatus | '',
      gender: gender as CensusCareRow['gender'],
      joinedOn,
      year,
      category: category as CareCategory,
      spentFen,
      count,
    }),
  ),
});

/** The census tally of a transaction's member changes: a Put to add to its TransactItems (none when nothing changed). */
export const censusTallyPut = (tableName: string, rows: CensusRows, now: Date) =>
  isEmptyCensus(rows)
    ? []
    : [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.censusTally(newId()),
              entity: ENTITY.censusTally,
              ...packRows(rows),
              createdAt: now.toISOString(),
            },
          },
        },
      ];

/** Rows per chunk: under 70 bytes a row, so a chunk stays below DynamoDB's 400 KB item. */
const ROWS_PER_CHUNK = 2000;

export const dynamoCensusStore = (db: DynamoDBDocumentClient, tableName: string): CensusStore => {
  const head = keys.censusRollup();
  const chunkPrefix = (version: number, set: string) =>
    keys.censusRollupChunk(version, set, 0).SK.slice(0, -4);

  const readHead = async () => {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND SK = :sk',
        ExpressionAttributeValues: { ':pk': head.PK, ':sk': head.SK },
        ConsistentRead: true,
      }),
    );
    return out.Items?.[0];
  };

  return {
    async rollup() {
      // A compaction deletes the chunks of the rollup before the last; a reader slower than two
      // compactions (ten minutes apart) would find some gone, and reads again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const item = await readHead();
        if (!item) return undefined;
        const version = item.version as number;
        const chunks = await queryAll(db, {
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
          ExpressionAttributeValues: { ':pk': head.PK, ':sk': chunkPrefix(version, item.set as string) },
          ConsistentRead: true,
        });
        if (chunks.length !== item.chunks) continue;
        const parts = chunks.map(unpackRows);
        return {
          through: item.through as string,
          floor: item.floor as string,
          rows: { members: parts.flatMap((p) => p.members), care: parts.flatMap((p) => p.care) },
          tallies: item.tallies as number,
          version,
          updatedAt: item.updatedAt as string,
        };
      }
      throw new Error('the census rollup changed under every read');
    },

    talliesBetween(after, before, limit) {
      return queryTalliesBetween(db, tableName, keys.censusTally(''), { after, before, limit }, unpackRows);
    },

    async saveRollup(r: CensusRollup) {
      // The chunks first, under a set of this writer's own (a concurrent compaction of the same
      // version writes another set), then the rollup naming them, under its version.
      const set = newId();
      const chunks: CensusRows[] = [];
      for (let i = 0; i < Math.max(r.rows.members.length, r.rows.care.length, 1); i += ROWS_PER_CHUNK)
        chunks.push({
          members: r.rows.members.slice(i, i + ROWS_PER_CHUNK),
          care: r.rows.care.slice(i, i + ROWS_PER_CHUNK),
        });
      const chunkKeys = chunks.map((_, n) => keys.censusRollupChunk(r.version, set, n));
      for (const [n, rows] of chunks.entries())
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...chunkKeys[n]!, entity: ENTITY.censusRollupChunk, ...packRows(rows) },
          }),
        );
      const deleteChunks = async (list: Array<Record<string, unknown>>) => {
        for (const key of list)
          await db.send(new DeleteCommand({ TableName: tableName, Key: { PK: key.PK, SK: key.SK } }));
      };
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...head,
              entity: ENTITY.censusRollup,
              through: r.through,
              floor: r.floor,
              tallies: r.tallies,
              version: r.version,
              set,
              chunks: chunks.length,
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
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        await deleteChunks(chunkKeys);
        return 'conflict';
      }
      // The rollup before this one stays for readers that are reading it; older ones go.
      const old = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': head.PK,
          ':from': 'ROLLUP#',
          ':to': chunkPrefix(Math.max(0, r.version - 1), ''),
        },
        ProjectionExpression: 'PK, SK',
      });
      await deleteChunks(old);
      return 'saved';
    },
  };
};
