/**
 * remind-activities: the union-life daily job (08:00 Asia/Shanghai). "Today" is the scheduled
 * time's date in Shanghai, so a late or repeated run reminds for the day it was meant for, once.
 * Activities: every confirmed participant of tomorrow's activities, once each. Mutual aid: on a
 * window's reminder days, every active member who has not decided, once per member and day.
 * Awards: the results of every award whose voting closed, announced once.
 */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { unionLifeDeps } from '../shared/config/union-life-deps.ts';
import { remindParticipants } from '../shared/domain/activities/activities-service.ts';
import { announceResults } from '../shared/domain/awards/awards-service.ts';
import { remindUndecided } from '../shared/domain/mutual-aid/mutual-aid-service.ts';
import { shanghaiDate } from '../shared/domain/time.ts';
import { logger } from '../shared/observability/logger.ts';

const deps = unionLifeDeps(dynamoDocumentClient());

export const handler = async (event: { scheduledTime?: string; date?: string }) => {
  const date = event.date ?? shanghaiDate(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`invalid date ${date}`);
  const activities = await remindParticipants(date, deps.activities);
  const mutualAid = await remindUndecided(date, deps.mutualAid);
  const awards = await announceResults(date, deps.awards);
  logger.info('Union-life reminders', { activities, mutualAid, awards });
  return { activities, mutualAid, awards };
};
