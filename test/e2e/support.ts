/**
 * What end-to-end tests use to drive the shared embedded runtime: the same commands an
 * operator uses (publish HR events, wait, read mail and DLQs), plus direct reads of DynamoDB
 * Local through the real SDK.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { hrPublish } from '../../infra/cli/commands/hr.ts';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { issueToken } from '../../infra/cli/commands/token.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { loadRuntimeInfo, localClientConfig } from '../../infra/cli/runtime-info.ts';
import { keys } from '../../shared/adapters/keys.ts';

process.env.GONGHUI_DATA_DIR = inject('dataDir');

export const runtime = () => loadRuntimeInfo();

export const db = () => {
  const info = runtime();
  return DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)));
};

/** Publishes EventBridge events through the real PutEvents API, as `gonghui hr publish` does. */
export const publish = async (events: unknown[]) => {
  const file = join(tmpdir(), `gonghui-events-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(events));
  return hrPublish(file, {});
};

export const waitIdle = (timeoutMs = 60_000) => waitForIdle(runtime().controlUrl, timeoutMs);

export const mails = () => listMail(runtime());

export const mailsTo = async (address: string) => (await mails()).filter((m) => m.to.includes(address));

export const memberByEmployee = async (employeeId: string) =>
  (
    await db().send(
      new GetCommand({
        TableName: runtime().tableName,
        Key: keys.memberByEmployee(employeeId),
        ConsistentRead: true,
      }),
    )
  ).Item;

export const queryPartition = async (pk: string) =>
  (
    await db().send(
      new QueryCommand({
        TableName: runtime().tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    )
  ).Items ?? [];

let counter = 0;
/** A unique id per test run, so tests sharing the runtime never see each other's data. */
export const uniqueId = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();

export const hiredEvent = (employeeId: string, overrides: Record<string, unknown> = {}) => ({
  version: '0',
  id: randomUUID(),
  source: 'university.hr',
  'detail-type': 'EmployeeHired',
  account: '111122223333',
  time: '2026-08-25T02:00:00Z',
  region: 'ap-east-1',
  resources: [],
  detail: {
    eventId: `hr-${employeeId}`,
    occurredAt: '2026-08-25T10:00:00+08:00',
    employeeId,
    name: '黄丽萍',
    gender: 'female',
    birthDate: '1994-03-21',
    email: `${employeeId.toLowerCase()}@example.edu.cn`,
    mobile: '13900000117',
    department: { code: 'CS', name: '计算机与信息安全学院' },
    position: '讲师',
    category: 'teaching',
    employmentType: 'permanent',
    hireDate: '2026-09-01',
    ...overrides,
  },
});

/** A JWT from the runtime's local issuer, as `gonghui token` makes it. */
export const token = (
  sub: string,
  role: string,
  extra: { branch?: string; department?: string; expires?: string } = {},
) => issueToken({ sub, role, ...extra });

/** Calls the local API like a client would. */
export const api = async (
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) => {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${runtime().apiUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  return { status: res.status, headers: res.headers, body: json as any };
};

export const hrEvent = (detailType: string, detail: Record<string, unknown>) => ({
  version: '0',
  id: randomUUID(),
  source: 'university.hr',
  'detail-type': detailType,
  account: '111122223333',
  time: new Date().toISOString(),
  region: 'ap-east-1',
  resources: [],
  detail,
});
