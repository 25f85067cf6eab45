/**
 * compact-tallies: every ten minutes, rolls the care tallies of this year and the last (a life
 * event may be granted in January for December) into their yearly rollup, so that the dashboard
 * reads one item and the few tallies written since. Tallies stay as they are; only the rollup is
 * written, under its version, so a late or repeated run changes nothing twice.
 */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoTallyStore } from '../shared/adapters/care-tally-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { compactTallies } from '../shared/domain/care/tally.ts';
import { idTimePrefix } from '../shared/domain/ids.ts';
import { shanghaiYear } from '../shared/domain/time.ts';
import { logger } from '../shared/observability/logger.ts';

const deps = {
  store: dynamoTallyStore(dynamoDocumentClient(), readEnv(ENV.tableName)),
  now: () => new Date(),
  idBefore: idTimePrefix,
};

export const handler = async (event: { scheduledTime?: string }) => {
  const year = shanghaiYear(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
  const results = [];
  for (const y of [year - 1, year]) results.push(await compactTallies(y, deps));
  logger.info('Care tallies compacted', { results });
  return results;
};
