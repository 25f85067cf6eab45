/** Announced transfers by effective date (GSI4 'TRANSFERDUE'): the daily apply-transfers reads only what is due. */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DueTransfers } from '../domain/members/apply-due-transfers.ts';

export const dynamoDueTransfers = (db: DynamoDBDocumentClient, tableName: string): DueTransfers => ({
  async dueOn(date) {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI4',
          // Every effective date up to and including `date` ('#' sorts before the 工号 after it).
          KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK < :end',
          ExpressionAttributeValues: { ':pk': 'TRANSFERDUE', ':end': `${date}#\uffff` },
          ProjectionExpression: 'employeeId',
          ExclusiveStartKey: start,
        }),
      );
      ids.push(...(out.Items ?? []).map((i) => i.employeeId as string));
      start = out.LastEvaluatedKey;
    } while (start);
    return ids;
  },
});
