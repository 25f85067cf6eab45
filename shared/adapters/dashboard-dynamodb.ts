/**
 * The dashboard's reads, each a Query on a key built in keys.ts (no scan): the member census's
 * rollup and tallies, a year's care tallies in their partition, the care settings, a session's
 * proposals, the unanswered letters; and, only when the census cannot answer, a branch's members
 * on GSI2 (projected to what is counted). The stores of each context are reused as they are.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readCensus } from '../domain/members/census.ts';
import type { DashboardReader, MemberFacts } from '../domain/reports/dashboard.ts';
import { dynamoCareSettings } from './care-settings-dynamodb.ts';
import { dynamoCareStore } from './care-store-dynamodb.ts';
import { dynamoTallyStore, readTallies } from './care-tally-dynamodb.ts';
import { dynamoCensusStore } from './census-dynamodb.ts';
import { queryAll } from './dynamo-helpers.ts';
import { keys } from './keys.ts';
import { dynamoLetterStore } from './letter-store-dynamodb.ts';
import { dynamoProposalStore } from './proposal-store-dynamodb.ts';

export const dynamoDashboardReader = (db: DynamoDBDocumentClient, tableName: string): DashboardReader => {
  const care = dynamoCareStore(db, tableName);
  const settings = dynamoCareSettings(db, tableName);
  const proposals = dynamoProposalStore(db, tableName);
  const letters = dynamoLetterStore(db, tableName);
  const tallies = dynamoTallyStore(db, tableName);
  const census = dynamoCensusStore(db, tableName);
  return {
    census: () => readCensus(census),

    branches: () => care.branches(),

    async membersOf(branch, years) {
      // Only what is counted: status, gender, joining day, branch, and the years' care totals.
      const yearNames = Object.fromEntries(years.map((y, i) => [`#y${i}`, String(y)]));
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.branchIndex(branch, '').GSI2PK },
        ProjectionExpression: [
          '#status',
          'gender',
          'joinedOn',
          'branch',
          ...years.map((_, i) => `care.#y${i}`),
        ].join(', '),
        ExpressionAttributeNames: { '#status': 'status', ...yearNames },
      });
      return items as MemberFacts[];
    },

    tallies: (year) => readTallies(tallies, year),

    settings: () => settings.settings(),
    proposals: (session) => proposals.session(session),
    unansweredLetters: (before) => letters.unansweredBefore(before),
  };
};
