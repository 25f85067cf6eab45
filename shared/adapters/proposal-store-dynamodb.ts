import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Proposal } from '../domain/proposals/proposal.ts';
import { isPublished } from '../domain/proposals/proposal.ts';
import type {
  HistoryEntry,
  ProposalListQuery,
  ProposalStore,
} from '../domain/proposals/proposals-service.ts';
import { isLostRace, queryAll as queryAllItems } from './dynamo-helpers.ts';
import { ENTITY, keyFits, keys, withoutKeys } from './keys.ts';
import { encodeCursor, queryPage } from './member-directory-dynamodb.ts';
import { emitOnce, outboxPut } from './outbox.ts';

export const proposalItem = (p: Proposal) => ({
  ...keys.proposal(p.id),
  ...keys.proposalsByAuthor(p.author.id, p.id),
  ...(isPublished(p.state) ? keys.publishedProposals(p.session, p.id) : {}),
  ...(p.assignment ? keys.proposalsByDepartment(p.assignment.department, p.id) : {}),
  ...(p.state === 'assigned' && p.assignment ? keys.proposalsDue(p.assignment.dueDate, p.id) : {}),
  entity: ENTITY.proposal,
  ...p,
});

const fromItem = (item: Record<string, unknown>): Proposal => withoutKeys<Proposal>(item);

export const dynamoProposalStore = (db: DynamoDBDocumentClient, tableName: string): ProposalStore => {
  const queryAll = (input: QueryCommandInput) => queryAllItems(db, input);

  return {
    async get(id) {
      if (!keyFits(keys.proposal(id))) return undefined;
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.proposal(id), ConsistentRead: true }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    },

    async lastNumber(session) {
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.proposalCounter(session), ConsistentRead: true }),
      );
      return (out.Item?.last as number | undefined) ?? 0;
    },

    async save({ proposal, history, event, counter }) {
      const now = new Date();
      const items = [
        {
          Put: {
            TableName: tableName,
            Item: proposalItem(proposal),
            ...(proposal.version === 1
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: '#version = :previous',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':previous': proposal.version - 1 },
                }),
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.proposalHistory(history.proposalId, history.version),
              entity: ENTITY.proposalHistory,
              ...history,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        outboxPut(tableName, event, now),
        ...(counter
          ? [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.proposalCounter(counter.session),
                  UpdateExpression: 'SET #last = :next, entity = :entity',
                  ConditionExpression:
                    counter.previous === 0 ? 'attribute_not_exists(#last)' : '#last = :previous',
                  ExpressionAttributeNames: { '#last': 'last' },
                  ExpressionAttributeValues: {
                    ':next': counter.next,
                    ':entity': ENTITY.proposalCounter,
                    ...(counter.previous === 0 ? {} : { ':previous': counter.previous }),
                  },
                },
              },
            ]
          : []),
      ];
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return 'saved';
      } catch (error) {
        if (isLostRace(error)) return 'conflict';
        throw error;
      }
    },

    async history(id) {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
        ExpressionAttributeValues: { ':pk': keys.proposal(id).PK, ':h': 'HISTORY#' },
        ConsistentRead: true,
      });
      return items.map((i) => withoutKeys<HistoryEntry>(i));
    },

    async list(q: ProposalListQuery) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const filters: string[] = [];
      let index: string;
      let keyCondition: string;
      if (q.department !== undefined) {
        index = 'GSI3';
        keyCondition = 'GSI3PK = :pk';
        values[':pk'] = `DEPT#${q.department}`;
      } else if (q.author !== undefined) {
        index = 'GSI1';
        keyCondition = 'GSI1PK = :pk';
        values[':pk'] = `AUTHOR#${q.author}`;
        if (q.includeDraftsOf !== q.author) {
          filters.push('#state <> :draft');
          values[':draft'] = 'draft';
        }
      } else {
        index = 'GSI2';
        keyCondition =
          q.session !== undefined ? 'GSI2PK = :pk AND begins_with(GSI2SK, :session)' : 'GSI2PK = :pk';
        values[':pk'] = 'PROPOSALS';
        if (q.session !== undefined) values[':session'] = `${q.session}#`;
      }
      if (q.state) {
        filters.push('#state = :state');
        values[':state'] = q.state;
      }
      if (q.session !== undefined && index !== 'GSI2') {
        filters.push('#session = :sessionValue');
        names['#session'] = 'session';
        values[':sessionValue'] = q.session;
      }
      if (q.author !== undefined && index !== 'GSI1') {
        filters.push('#author.#id = :author');
        names['#author'] = 'author';
        names['#id'] = 'id';
        values[':author'] = q.author;
      }
      if (filters.some((f) => f.includes('#state'))) names['#state'] = 'state';
      const out = await queryPage(
        db,
        {
          TableName: tableName,
          IndexName: index,
          KeyConditionExpression: keyCondition,
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          Limit: q.limit,
        },
        q.cursor,
      );
      const cursor = encodeCursor(out.LastEvaluatedKey);
      return { items: (out.Items ?? []).map(fromItem), ...(cursor ? { cursor } : {}) };
    },

    async session(session) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :s)',
        ExpressionAttributeValues: { ':pk': 'PROPOSALS', ':s': `${session}#` },
      });
      return items.map(fromItem);
    },

    async dueBy(date) {
      const items = await queryAll({
        TableName: tableName,
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK <= :upTo',
        ExpressionAttributeValues: { ':pk': 'PROPOSALDUE', ':upTo': `${date}#~` },
      });
      return items.map(fromItem).filter((p) => p.state === 'assigned');
    },

    emitOnce: (event) => emitOnce(db, tableName, event),
  };
};
