/** Small DynamoDB idioms every store repeats: reading a whole query, a range of tallies, telling a lost race. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Every item a query finds, page after page (for partitions known to be small), from the input's
 * ExclusiveStartKey if it has one; with a `limit`, at most that many (each page asks for the rest).
 */
export const queryAll = async (
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit = Number.POSITIVE_INFINITY,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start = input.ExclusiveStartKey;
  do {
    const out = await db.send(
      new QueryCommand({
        ...input,
        ExclusiveStartKey: start,
        ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items;
};

/**
 * Tallies (items keyed `<prefix><id>` under one partition, ids sorting by time) whose id lies after
 * `after` and before `before` (an id's time prefix sorts before every id of that millisecond and
 * after all earlier ones), in order, at most `limit`: what a compaction rolls up.
 */
export const queryTalliesBetween = async <Rows>(
  db: DynamoDBDocumentClient,
  tableName: string,
  first: { PK: string; SK: string },
  range: { after: string | undefined; before: string | undefined; limit: number },
  rowsOf: (item: Record<string, unknown>) => Rows,
): Promise<Array<{ id: string; rows: Rows }>> => {
  const { after, before, limit } = range;
  const items = await queryAll(
    db,
    {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': first.PK,
        ':from': first.SK,
        ':to': before === undefined ? `${first.SK}~` : `${first.SK}${before}`,
      },
      ...(after ? { ExclusiveStartKey: { PK: first.PK, SK: `${first.SK}${after}` } } : {}),
    },
    limit,
  );
  return items.map((i) => ({ id: String(i.SK).slice(first.SK.length), rows: rowsOf(i) }));
};

/**
 * A transaction cancelled because another writer got there first (a condition on a version or
 * counter failed, or DynamoDB saw a concurrent transaction on an item): the caller reads again.
 */
export const isLostRace = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some(
    (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
  );
