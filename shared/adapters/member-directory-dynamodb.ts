/**
 * Reads of the members API. Every list is a Query on an index (never a Scan): a branch's
 * members on GSI2, all members on GSI3, a member by id on GSI1. Status and name filters narrow
 * a page after the read, so a page can hold fewer items than asked for; the cursor goes on.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { InvalidInput } from '../domain/errors.ts';
import { SCHOOL_UNION } from '../domain/members/member.ts';
import type { DepartmentMapping, MemberDirectory } from '../domain/members/members-service.ts';
import { ENTITY, KEY_ATTRIBUTES, keyFits, keys } from './keys.ts';
import { memberFromItem } from './member-repository-dynamodb.ts';

export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

const invalidCursor = () =>
  new InvalidInput('cursor 无效 / The cursor is invalid', {
    errors: [{ field: 'cursor', message: 'invalid' }],
  });

/**
 * A cursor is a page's last key as the client got it back: anything else (not base64url JSON, not
 * an object of key attributes with string or number values) is refused with 400. A client may
 * still forge a well-shaped key; see `queryPage`.
 */
export const decodeCursor = (cursor: string | undefined): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const entries = typeof key === 'object' && key !== null && !Array.isArray(key) ? Object.entries(key) : [];
  const wellShaped =
    entries.length > 0 &&
    entries.every(
      ([name, value]) =>
        KEY_ATTRIBUTES.has(name) &&
        (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))),
    );
  if (!wellShaped) throw invalidCursor();
  return key as Record<string, unknown>;
};

/**
 * A Query from the cursor a client sent. DynamoDB refuses a start key that is not one of the
 * queried index's keys, or lies outside the key condition, with a ValidationException: with a
 * client's cursor, that is the client's mistake (400), not ours (500). Seen: GET /members and GET
 * /proposals with a cursor of base64url `{"x":1}` answered 500.
 */
export const queryPage = async (
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  cursor: string | undefined,
): Promise<QueryCommandOutput> => {
  const start = decodeCursor(cursor);
  try {
    return await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
  } catch (error) {
    if (start && (error as Error | undefined)?.name === 'ValidationException') throw invalidCursor();
    throw error;
  }
};

export const dynamoMemberDirectory = (db: DynamoDBDocumentClient, tableName: string): MemberDirectory => ({
  async byEmployee(employeeId) {
    if (!keyFits(keys.memberByEmployee(employeeId))) return undefined;
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.memberByEmployee(employeeId), ConsistentRead: true }),
    );
    return out.Item ? memberFromItem(out.Item) : undefined;
  },

  async byMemberId(memberId) {
    const index = keys.memberIdIndex(memberId);
    if (!keyFits(index)) return undefined;
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk',
        ExpressionAttributeValues: { ':pk': index.GSI1PK, ':sk': index.GSI1SK },
      }),
    );
    const item = out.Items?.[0];
    return item ? memberFromItem(item) : undefined;
  },

  async list(query) {
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.text) {
      // Name or 工号 or membership number: what an officer types into the search box.
      filters.push(
        '(contains(#name, :text) OR begins_with(employeeId, :text) OR contains(membershipNumber, :text))',
      );
      names['#name'] = 'name';
      values[':text'] = query.text;
    }
    const byBranch = query.branch !== undefined;
    const out = await queryPage(
      db,
      {
        TableName: tableName,
        IndexName: byBranch ? 'GSI2' : 'GSI3',
        KeyConditionExpression: byBranch ? 'GSI2PK = :pk' : 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': byBranch ? `BRANCH#${query.branch}` : 'MEMBERS', ...values },
        ...(filters.length
          ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        Limit: query.limit,
      },
      query.cursor,
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(memberFromItem), ...(cursor ? { cursor } : {}) };
  },

  async departments() {
    const items: DepartmentMapping[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.branchMapping('').PK },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of out.Items ?? []) {
        items.push({
          departmentCode: i.departmentCode,
          departmentName: i.departmentName,
          branch: i.branch,
          ...(i.contactEmail ? { contactEmail: i.contactEmail } : {}),
          updatedAt: i.updatedAt,
          updatedBy: i.updatedBy,
        });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  },

  async placedByDefault() {
    const counts = new Map<string, { code: string; name: string; members: number }>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          FilterExpression: 'branchAssignedByDefault = :yes AND #status IN (:active, :retired)',
          ProjectionExpression: 'department',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': `BRANCH#${SCHOOL_UNION.code}`,
            ':yes': true,
            ':active': 'active',
            ':retired': 'retired',
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of out.Items ?? []) {
        const d = i.department as { code: string; name: string } | undefined;
        if (!d) continue;
        const c = counts.get(d.code) ?? { code: d.code, name: d.name, members: 0 };
        c.members++;
        counts.set(d.code, c);
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return [...counts.values()];
  },

  async putDepartment(mapping) {
    // The branch joins the registry the care fan-out walks; it never leaves it (members may stay).
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.branchMapping(mapping.departmentCode),
                entity: ENTITY.branchMapping,
                ...mapping,
              },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...keys.branchRegistry(mapping.branch.code), entity: ENTITY.branch, ...mapping.branch },
            },
          },
        ],
      }),
    );
  },
});
