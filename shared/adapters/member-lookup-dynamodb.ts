/** Members by 工号 for the union-life contexts: status, name, work email and branch. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MemberInfo, MemberLookup } from '../domain/member-lookup.ts';
import { keyFits, keys } from './keys.ts';
import { batchGet } from './member-repository-dynamodb.ts';

export const dynamoMemberLookup = (db: DynamoDBDocumentClient, tableName: string): MemberLookup => ({
  async many(employeeIds) {
    const unique = [...new Set(employeeIds)].filter((id) => id !== '' && keyFits(keys.memberByEmployee(id)));
    if (unique.length === 0) return new Map();
    const items = await batchGet(db, tableName, unique.map(keys.memberByEmployee));
    return new Map(
      items
        .filter((i) => i.enrolled !== false)
        .map((i): [string, MemberInfo] => [
          i.employeeId as string,
          {
            employeeId: i.employeeId as string,
            ...(typeof i.name === 'string' ? { name: i.name } : {}),
            ...(typeof i.email === 'string' ? { email: i.email } : {}),
            ...(typeof i.status === 'string' ? { status: i.status } : {}),
            ...(i.branch ? { branch: i.branch as { code: string; name: string } } : {}),
          },
        ]),
    );
  },
});
