/**
 * Surveys and suggestions in DynamoDB.
 *
 * A survey's partition holds the survey, its answers and its "has answered" markers:
 *   SK=SURVEY                      the survey
 *   SK=ANSWER#<branch>#<random>    one answer: branch and values, no member, no time
 *   SK=ANSWERED#<工号>             the marker: no answer id, no time
 * The answer and the marker are written in one transaction whose condition is that the marker
 * does not exist yet. The answer's key is 16 random bytes, so its order says nothing either.
 */
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Suggestion, SuggestionStore } from '../domain/voice/suggestions.ts';
import type { StoredAnswer, Survey, SurveyStore } from '../domain/voice/surveys.ts';
import { queryAll } from './dynamo-helpers.ts';
import { ENTITY, keyFits, keys, withoutKeys } from './keys.ts';
import { encodeCursor, queryPage } from './member-directory-dynamodb.ts';
import { emitOnce } from './outbox.ts';

export const dynamoSurveyStore = (db: DynamoDBDocumentClient, tableName: string): SurveyStore => ({
  async get(id) {
    if (!keyFits(keys.survey(id))) return undefined;
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.survey(id), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<Survey>(out.Item) : undefined;
  },

  async save(survey) {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.survey(survey.id),
            ...keys.allSurveys(survey.id),
            entity: ENTITY.survey,
            ...survey,
          },
          ...(survey.version === 1
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: '#version = :previous',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':previous': survey.version - 1 },
              }),
        }),
      );
      return 'saved';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'conflict';
      throw error;
    }
  },

  async list() {
    const items = await queryAll(db, {
      TableName: tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': 'SURVEYS' },
      ScanIndexForward: false,
    });
    return items.map((i) => withoutKeys<Survey>(i));
  },

  async hasAnswered(surveyId, employeeId) {
    const key = keys.surveyAnswered(surveyId, employeeId);
    if (!keyFits(key)) return false;
    const out = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return out.Item !== undefined;
  },

  async addAnswer(surveyId, employeeId, answer) {
    const randomId = randomBytes(16).toString('hex');
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.surveyAnswered(surveyId, employeeId),
                  entity: ENTITY.surveyAnswered,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.surveyAnswer(surveyId, answer.branch, randomId),
                  entity: ENTITY.surveyAnswer,
                  branch: answer.branch,
                  answers: answer.answers,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
      return 'saved';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const marker = error.CancellationReasons?.[0]?.Code;
      if (marker === 'ConditionalCheckFailed') return 'answered';
      // The same member's answer in flight at the same moment (only it writes this marker).
      if (error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')) return 'busy';
      throw error;
    }
  },

  async answers(surveyId, branch) {
    const prefix = branch === undefined ? 'ANSWER#' : `ANSWER#${branch}#`;
    const items = await queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
      ExpressionAttributeValues: { ':pk': keys.survey(surveyId).PK, ':a': prefix },
    });
    return items.map((i) => ({ branch: i.branch as string, answers: i.answers as StoredAnswer['answers'] }));
  },
});

export const dynamoSuggestionStore = (db: DynamoDBDocumentClient, tableName: string): SuggestionStore => ({
  async get(id) {
    if (!keyFits(keys.suggestion(id))) return undefined;
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.suggestion(id), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<Suggestion>(out.Item) : undefined;
  },

  async add(s) {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.suggestion(s.id), ...keys.allSuggestions(s.id), entity: ENTITY.suggestion, ...s },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  },

  async list(q) {
    const values: Record<string, unknown> = { ':pk': 'SUGGESTIONS' };
    if (q.author !== undefined) values[':author'] = q.author;
    const out = await queryPage(
      db,
      {
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: values,
        ...(q.author !== undefined ? { FilterExpression: 'author = :author' } : {}),
        Limit: q.limit,
        ScanIndexForward: false,
      },
      q.cursor,
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => withoutKeys<Suggestion>(i)), ...(cursor ? { cursor } : {}) };
  },

  async claim(id, proposalId, by, at) {
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.suggestion(id),
          UpdateExpression: 'SET proposalId = :p, convertedBy = :by, convertedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND proposalId = :none',
          ExpressionAttributeValues: { ':p': proposalId, ':by': by, ':at': at, ':none': null },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async release(id, proposalId) {
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.suggestion(id),
          UpdateExpression: 'SET proposalId = :none, convertedBy = :none, convertedAt = :none',
          ConditionExpression: 'proposalId = :p',
          ExpressionAttributeValues: { ':p': proposalId, ':none': null },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  },

  emitOnce: (event) => emitOnce(db, tableName, event),
});
