/**
 * apply-transfers: the daily job (00:10 Asia/Shanghai) that makes transfers HR announced ahead
 * take effect on their date. "Today" is the scheduled time's date in Shanghai; a late or repeated
 * run applies what is due by then, once (a settled transfer leaves nothing behind to apply).
 */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoDueTransfers } from '../shared/adapters/due-transfers-dynamodb.ts';
import { dynamoMemberRepository } from '../shared/adapters/member-repository-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { newId } from '../shared/domain/ids.ts';
import { applyDueTransfers } from '../shared/domain/members/apply-due-transfers.ts';
import { shanghaiDate } from '../shared/domain/time.ts';
import { logger } from '../shared/observability/logger.ts';

const tableName = readEnv(ENV.tableName);
const db = dynamoDocumentClient();
const deps = {
  repo: dynamoMemberRepository(db, tableName),
  due: dynamoDueTransfers(db, tableName),
  now: () => new Date(),
  newId,
};

export const handler = async (event: { scheduledTime?: string; date?: string }) => {
  const date = event.date ?? shanghaiDate(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`invalid date ${date}`);
  const result = await applyDueTransfers(date, deps);
  logger.info('Announced transfers applied', { date, ...result });
  return result;
};
