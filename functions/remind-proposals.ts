/**
 * remind-proposals: the daily job (08:00 Asia/Shanghai). "Today" is the scheduled time's date in
 * Shanghai, so a late or repeated run reminds for the day it was meant for, once.
 */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoPeopleDirectory } from '../shared/adapters/people-directory-dynamodb.ts';
import { dynamoProposalStore } from '../shared/adapters/proposal-store-dynamodb.ts';
import { proposalDeps } from '../shared/config/proposal-deps.ts';
import { newId } from '../shared/domain/ids.ts';
import { remindDepartments } from '../shared/domain/proposals/proposals-service.ts';
import { shanghaiDate } from '../shared/domain/time.ts';
import { logger } from '../shared/observability/logger.ts';

const db = dynamoDocumentClient();
const deps = proposalDeps({
  store: (table) => dynamoProposalStore(db, table),
  directory: (table) => dynamoPeopleDirectory(db, table),
  newId,
});

export const handler = async (event: { scheduledTime?: string; date?: string }) => {
  const date = event.date ?? shanghaiDate(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`invalid date ${date}`);
  const result = await remindDepartments(date, deps);
  logger.info('Proposal reminders', result);
  return result;
};
