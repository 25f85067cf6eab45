import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Letter,
  type LetterAnswer,
  type LetterListQuery,
  type LetterStore,
  type MailboxSettings,
  NO_MAILBOX_SETTINGS,
  type People,
} from '../domain/voice/letters.ts';
import { isLostRace, queryAll } from './dynamo-helpers.ts';
import { ENTITY, keyFits, keys, withoutKeys } from './keys.ts';
import { encodeCursor, queryPage } from './member-directory-dynamodb.ts';
import { emitOnce, outboxPut } from './outbox.ts';

export const letterItem = (l: Letter) => ({
  ...keys.letter(l.id),
  ...keys.lettersByWriter(l.writer, l.id),
  ...keys.allLetters(l.year, l.id),
  ...(l.state === 'open' && l.answerCount === 0 ? keys.lettersUnanswered(l.createdAt, l.id) : {}),
  entity: ENTITY.letter,
  ...l,
});

const fromItem = (item: Record<string, unknown>): Letter => withoutKeys<Letter>(item);

export const dynamoLetterStore = (db: DynamoDBDocumentClient, tableName: string): LetterStore => ({
  async get(id) {
    if (!keyFits(keys.letter(id))) return undefined;
    const items = await queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.letter(id).PK },
      ConsistentRead: true,
    });
    const letter = items.find((i) => i.SK === 'LETTER');
    if (!letter) return undefined;
    const answers = items
      .filter((i) => String(i.SK).startsWith('ANSWER#'))
      .map((i) => withoutKeys<LetterAnswer>(i))
      .sort((a, b) => a.seq - b.seq);
    return { letter: fromItem(letter), answers };
  },

  async save({ letter, answer, event }) {
    const now = new Date();
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: letterItem(letter),
                ...(letter.version === 1
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : {
                      ConditionExpression: '#version = :previous',
                      ExpressionAttributeNames: { '#version': 'version' },
                      ExpressionAttributeValues: { ':previous': letter.version - 1 },
                    }),
              },
            },
            ...(answer
              ? [
                  {
                    Put: {
                      TableName: tableName,
                      Item: {
                        ...keys.letterAnswer(answer.letterId, answer.seq),
                        entity: ENTITY.letterAnswer,
                        ...answer,
                      },
                      ConditionExpression: 'attribute_not_exists(PK)',
                    },
                  },
                ]
              : []),
            outboxPut(tableName, event, now),
          ],
        }),
      );
      return 'saved';
    } catch (error) {
      if (isLostRace(error)) return 'conflict';
      throw error;
    }
  },

  async list(q: LetterListQuery) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const filters: string[] = [];
    let index: string;
    let keyCondition: string;
    if (q.writer !== undefined) {
      index = 'GSI1';
      keyCondition = 'GSI1PK = :pk';
      values[':pk'] = keys.lettersByWriter(q.writer, '').GSI1PK;
      if (q.year !== undefined) {
        filters.push('#year = :year');
        names['#year'] = 'year';
        values[':year'] = q.year;
      }
    } else {
      index = 'GSI2';
      keyCondition = q.year !== undefined ? 'GSI2PK = :pk AND begins_with(GSI2SK, :y)' : 'GSI2PK = :pk';
      values[':pk'] = 'LETTERS';
      if (q.year !== undefined) values[':y'] = `${q.year}#`;
    }
    if (q.excludeChairOnly) {
      filters.push('chairOnly = :false');
      values[':false'] = false;
    }
    if (q.delegatedTo !== undefined) {
      filters.push('delegatedTo = :delegate');
      values[':delegate'] = q.delegatedTo;
    }
    if (q.category !== undefined) {
      filters.push('category = :category');
      values[':category'] = q.category;
    }
    if (q.state !== undefined) {
      filters.push('#state = :state');
      names['#state'] = 'state';
      values[':state'] = q.state;
    }
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
        // Newest first: the chair reads what came in lately.
        ScanIndexForward: false,
      },
      q.cursor,
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(fromItem), ...(cursor ? { cursor } : {}) };
  },

  async year(year) {
    const items = await queryAll(db, {
      TableName: tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :y)',
      ExpressionAttributeValues: { ':pk': 'LETTERS', ':y': `${year}#` },
    });
    return items.map(fromItem);
  },

  async unansweredBefore(instant) {
    const items = await queryAll(db, {
      TableName: tableName,
      IndexName: 'GSI4',
      KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK < :before',
      ExpressionAttributeValues: { ':pk': 'LETTERUNANSWERED', ':before': instant },
    });
    return items.map(fromItem).filter((l) => l.state === 'open' && l.answerCount === 0);
  },

  async settings() {
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.mailboxSettings, ConsistentRead: true }),
    );
    return out.Item ? (out.Item.settings as MailboxSettings) : NO_MAILBOX_SETTINGS;
  },

  async saveSettings(settings) {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.mailboxSettings, entity: ENTITY.setting, settings },
      }),
    );
  },

  emitOnce: (event) => emitOnce(db, tableName, event),
});

/** Members' status and work email by 工号 (the member item HR's events keep). */
export const dynamoPeople = (db: DynamoDBDocumentClient, tableName: string): People => ({
  async member(employeeId) {
    if (!keyFits(keys.memberByEmployee(employeeId))) return undefined;
    const out = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.memberByEmployee(employeeId), ConsistentRead: true }),
    );
    const i = out.Item;
    // An invitation not yet accepted (confirm mode) is a person, not a member.
    if (i?.enrolled !== true || typeof i.membershipNumber !== 'string' || typeof i.status !== 'string')
      return undefined;
    const branch = (i.branch as { code?: unknown } | undefined)?.code;
    return {
      status: i.status,
      ...(typeof branch === 'string' ? { branch } : {}),
      ...(typeof i.email === 'string' ? { email: i.email } : {}),
      ...(typeof i.name === 'string' ? { name: i.name } : {}),
    };
  },
});
