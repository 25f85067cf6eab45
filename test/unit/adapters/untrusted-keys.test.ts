/**
 * Keys and cursors that come from a URL: whatever a client sends, the adapters answer "not
 * found" or "invalid cursor", never let DynamoDB's ValidationException become a 500.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoCareRequestStore } from '../../../shared/adapters/care-request-store-dynamodb.ts';
import { keyFits, keys } from '../../../shared/adapters/keys.ts';
import {
  decodeCursor,
  dynamoMemberDirectory,
  encodeCursor,
  queryPage,
} from '../../../shared/adapters/member-directory-dynamodb.ts';
import { dynamoProposalStore } from '../../../shared/adapters/proposal-store-dynamodb.ts';
import { InvalidInput } from '../../../shared/domain/errors.ts';

/** A client that must not be called. */
const untouched = {
  send: () => {
    throw new Error('DynamoDB was asked');
  },
} as unknown as DynamoDBDocumentClient;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('ids longer than a DynamoDB key', () => {
  const long = 'x'.repeat(3000);
  const wide = '😀'.repeat(600); // 2,400 bytes in 600 characters

  it('keyFits counts bytes, with the sort key limit for *SK attributes', () => {
    expect(keyFits(keys.proposal('01J0000000000000000000000'))).toBe(true);
    expect(keyFits(keys.proposal(long))).toBe(false);
    expect(keyFits(keys.proposal(wide))).toBe(false);
    expect(keyFits({ PK: 'a', SK: 'b'.repeat(1025) })).toBe(false);
    expect(keyFits({ PK: 'a'.repeat(2048), SK: 'b'.repeat(1024) })).toBe(true);
  });

  it('are not found, without asking DynamoDB', async () => {
    expect(await dynamoProposalStore(untouched, 'T').get(long)).toBeUndefined();
    expect(await dynamoCareRequestStore(untouched, 'T').get(wide)).toBeUndefined();
    expect(await dynamoMemberDirectory(untouched, 'T').byMemberId(long)).toBeUndefined();
    expect(await dynamoMemberDirectory(untouched, 'T').byEmployee(long)).toBeUndefined();
  });
});

describe('cursors from clients', () => {
  const refused = (cursor: string) => {
    try {
      decodeCursor(cursor);
      return false;
    } catch (error) {
      return error instanceof InvalidInput;
    }
  };

  it('takes back what it gave out', () => {
    const key = { PK: 'EMPLOYEE#T1', SK: 'MEMBER', GSI3PK: 'MEMBERS', GSI3SK: 'GH2026000001' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it('refuses anything that is not an object of key attributes with string or number values', () => {
    for (const cursor of [
      'not base64 json!',
      b64(null),
      b64([1]),
      b64('s'),
      b64({}),
      // Seen: these reached DynamoDB and came back as 500.
      b64({ x: 1 }),
      b64({ PK: { S: 'x' } }),
      b64({ PK: 'x', SK: null }),
      Buffer.from('{"PK":"x","__proto__":"y"}').toString('base64url'),
    ])
      expect(refused(cursor), cursor).toBe(true);
  });

  it('turns DynamoDB refusing a forged start key into an invalid cursor, and nothing else', async () => {
    const validation = Object.assign(new Error('The provided starting key is invalid'), {
      name: 'ValidationException',
    });
    const failing = (error: Error) => ({ send: async () => Promise.reject(error) }) as never;
    const forged = b64({ PK: 'PROPOSAL#x', SK: 'PROPOSAL' });
    await expect(queryPage(failing(validation), { TableName: 'T' }, forged)).rejects.toBeInstanceOf(
      InvalidInput,
    );
    // Without a cursor, a ValidationException is a bug of ours: it stays an error (500).
    await expect(queryPage(failing(validation), { TableName: 'T' }, undefined)).rejects.toBe(validation);
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
    });
    await expect(queryPage(failing(throttled), { TableName: 'T' }, forged)).rejects.toBe(throttled);
  });
});
