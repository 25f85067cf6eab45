/**
 * compact-tallies: every ten minutes, rolls the care tallies of this year and the last (a life
 * event may be granted in January for December) into their yearly rollup, and the member census's
 * tallies into its rollup (census.ts), so that the dashboard reads a rollup and the few tallies
 * written since. Tallies stay as they are; only the rollups are written, under their versions, so
 * a late or repeated run changes nothing twice.
 */
import { dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { dynamoTallyStore } from '../shared/adapters/care-tally-dynamodb.ts';
import { dynamoCensusStore } from '../shared/adapters/census-dynamodb.ts';
import { readEnv } from '../shared/config/config.ts';
import { ENV } from '../shared/config/env-names.ts';
import { compactTallies } from '../shared/domain/care/tally.ts';
import { idTimePrefix } from '../shared/domain/ids.ts';
import { compactCensus } from '../shared/domain/members/census.ts';
import { shanghaiDate, shanghaiYear } from '../shared/domain/time.ts';
import { logger } from '../shared/observability/logger.ts';

const db = dynamoDocumentClient();
const tableName = readEnv(ENV.tableName);
const deps = {
  store: dynamoTallyStore(db, tableName),
  now: () => new Date(),
  idBefore: idTimePrefix,
};
const census = dynamoCensusStore(db, tableName);

export const handler = async (event: { scheduledTime?: string }) => {
  const at = event.scheduledTime ? new Date(event.scheduledTime) : new Date();
  const year = shanghaiYear(at);
  const results = [];
  for (const y of [year - 1, year]) results.push(await compactTallies(y, deps));
  const members = await compactCensus({ ...deps, store: census, today: shanghaiDate(at) });
  logger.info('Care tallies and the member census compacted', { results, census: members });
  return { care: results, census: members };
};
