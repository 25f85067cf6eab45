/**
 * remind-letters: the daily job (08:00 Asia/Shanghai). Letters to the chair still without an
 * answer after the mailbox settings' days are reminded to the chair and their delegate, once per
 * letter and day: "today" is the scheduled time's date in Shanghai, so a late or repeated run
 * reminds for the day it was meant for, once.
 */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoLetterStore, dynamoPeople } from '../shared/adapters/letter-store-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { newId } from '../shared/domain/ids.ts';
import { shanghaiDate } from '../shared/domain/time.ts';
import { remindLetters } from '../shared/domain/voice/letters.ts';
import { logger } from '../shared/observability/logger.ts';

const db = dynamoDocumentClient();
const table = readEnv(ENV.tableName);
const deps = {
  store: dynamoLetterStore(db, table),
  people: dynamoPeople(db, table),
  now: () => new Date(),
  newId,
};

export const handler = async (event: { scheduledTime?: string; date?: string }) => {
  const date = event.date ?? shanghaiDate(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`invalid date ${date}`);
  const result = await remindLetters(date, deps);
  logger.info('Letter reminders', result);
  return result;
};
