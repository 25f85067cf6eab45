/**
 * Care settings in DynamoDB: one small partition (`PK=SETTINGS`, `SK` under `CARE#`) holding the
 * policy versions, the union's own occasions and the working-day overrides per year, read whole in
 * one query (a handful of items: the planner's one settings read per run).
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CareSettings,
  CareSettingsStore,
  CustomOccasion,
  StoredPolicy,
  WorkdayYear,
} from '../domain/care/settings.ts';
import { queryAll } from './dynamo-helpers.ts';
import { ENTITY, keys } from './keys.ts';

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

export const dynamoCareSettings = (db: DynamoDBDocumentClient, tableName: string): CareSettingsStore => ({
  async settings() {
    const s: CareSettings = { policies: [], occasions: [], workdays: [] };
    const items = await queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: {
        ':pk': keys.careSettingsPrefix.PK,
        ':p': keys.careSettingsPrefix.SKPrefix,
      },
      ConsistentRead: true,
    });
    for (const item of items) {
      const sk = String(item.SK);
      if (sk.startsWith('CARE#POLICY#')) s.policies.push(item.policy as StoredPolicy);
      else if (sk.startsWith('CARE#OCCASION#')) s.occasions.push(item.occasion as CustomOccasion);
      else if (sk.startsWith('CARE#WORKDAYS#')) s.workdays.push(item.workdays as WorkdayYear);
    }
    return s;
  },

  async putPolicy(policy) {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.carePolicy(policy.effectiveFrom), entity: ENTITY.setting, policy },
      }),
    );
  },

  async addOccasion(occasion) {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.careOccasion(occasion.occasion), entity: ENTITY.setting, occasion },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async deleteOccasion(occasion) {
    try {
      await db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keys.careOccasion(occasion),
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async putWorkdays(workdays) {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.careWorkdays(workdays.year), entity: ENTITY.setting, workdays },
      }),
    );
  },
});
