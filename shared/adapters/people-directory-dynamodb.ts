/** Mail addresses the proposals context needs: members' work email by 工号, departments' mailboxes. */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Directory } from '../domain/proposals/proposals-service.ts';
import { keys } from './keys.ts';
import { batchGet } from './member-repository-dynamodb.ts';

export const dynamoPeopleDirectory = (db: DynamoDBDocumentClient, tableName: string): Directory => ({
  async emails(ids) {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const items = await batchGet(db, tableName, unique.map(keys.memberByEmployee));
    return new Map(
      items
        .filter((i) => typeof i.email === 'string')
        .map((i) => [
          i.employeeId as string,
          { email: i.email as string, ...(i.name ? { name: i.name as string } : {}) },
        ]),
    );
  },

  async departmentEmail(code) {
    const out = await db.send(new GetCommand({ TableName: tableName, Key: keys.branchMapping(code) }));
    return out.Item?.contactEmail as string | undefined;
  },
});
