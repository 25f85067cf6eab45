/** Members by 工号 for the union-life contexts: status, name, work email and branch. */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { MemberInfo, MemberLookup, MemberRoster } from '../domain/member-lookup.ts';
import { keyFits, keys } from './keys.ts';
import { batchGet } from './member-repository-dynamodb.ts';

const infoOf = (i: Record<string, unknown>): MemberInfo => ({
  employeeId: i.employeeId as string,
  ...(typeof i.name === 'string' ? { name: i.name } : {}),
  ...(typeof i.email === 'string' ? { email: i.email } : {}),
  ...(typeof i.status === 'string' ? { status: i.status } : {}),
  ...(i.branch ? { branch: i.branch as { code: string; name: string } } : {}),
});

/** Every active member, from the all-members index (GSI3), reading only what reminders need. */
export const dynamoMemberRoster = (db: DynamoDBDocumentClient, tableName: string): MemberRoster => ({
  async active() {
    const members: MemberInfo[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI3',
          KeyConditionExpression: 'GSI3PK = :pk',
          FilterExpression: '#status = :active',
          ProjectionExpression: 'employeeId, #name, email, #status, branch',
          ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
          ExpressionAttributeValues: { ':pk': 'MEMBERS', ':active': 'active' },
          ExclusiveStartKey: start,
        }),
      );
      members.push(...(out.Items ?? []).map(infoOf));
      start = out.LastEvaluatedKey;
    } while (start);
    return members;
  },
});

export const dynamoMemberLookup = (db: DynamoDBDocumentClient, tableName: string): MemberLookup => ({
  async many(employeeIds) {
    const unique = [...new Set(employeeIds)].filter((id) => id !== '' && keyFits(keys.memberByEmployee(id)));
    if (unique.length === 0) return new Map();
    const items = await batchGet(db, tableName, unique.map(keys.memberByEmployee));
    return new Map(
      items
        .filter((i) => i.enrolled !== false)
        .map((i): [string, MemberInfo] => [i.employeeId as string, infoOf(i)]),
    );
  },
});
