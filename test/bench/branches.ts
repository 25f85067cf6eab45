/** Bench setup: twenty departments, each its own branch union, as a union has them before HR's events. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoMemberDirectory } from '../../shared/adapters/member-directory-dynamodb.ts';

export const BENCH_DEPARTMENTS = 20;

export const mapBenchDepartments = async (db: DynamoDBDocumentClient, tableName: string) => {
  const directory = dynamoMemberDirectory(db, tableName);
  for (let d = 0; d < BENCH_DEPARTMENTS; d++) {
    await directory.putDepartment({
      departmentCode: `D${d}`,
      departmentName: `部门${d}`,
      branch: { code: `B${d}`, name: `第${d}分工会` },
      updatedAt: new Date().toISOString(),
      updatedBy: 'bench',
    });
  }
};
