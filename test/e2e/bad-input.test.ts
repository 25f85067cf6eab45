/**
 * Bad input, generated and classic, through the real gateway, functions and DynamoDB Local:
 * thousands of malformed bodies per JSON route (arbitrary JSON the route's own zod schema
 * refuses), arbitrary text as JSON, wrong content types, oversized and deeply nested bodies, and
 * malformed HR events on the bus. Never a 5xx; always the right 4xx or the DLQ; and nothing
 * written: the table holds exactly the items it held before.
 *
 * fast-check prints the seed and the shrunk counterexample of a failure; rerun with it to reproduce.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { listDlq } from '../../infra/cli/commands/dlq.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { type QueueKey, queues } from '../../infra/topology.ts';
import { careRequestBody, decisionBody } from '../../shared/http/care-schemas.ts';
import {
  acceptInvitationBody,
  departmentBody,
  leaveBody,
  manualEnrolmentBody,
} from '../../shared/http/members-schemas.ts';
import { actionBodies, createProposalBody } from '../../shared/http/proposals-schemas.ts';
import { recordFigure } from '../support/figures.ts';
import {
  api,
  db,
  hiredEvent,
  memberByEmployee,
  publish,
  runtime,
  token,
  uniqueId,
  waitIdle,
} from './support.ts';

/** Generated bodies per route (and a quarter as many raw texts); the soak run asks for more. */
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 400);

/** Every item in the table, counted (DynamoDB Local keeps no TTL sweeper running, so it is stable). */
const tableCount = async () => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new ScanCommand({ TableName: runtime().tableName, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
};

/** Arbitrary JSON, with strings from all of Unicode, that the route's own schema refuses. */
const refusedBy = (schema: z.ZodMiniType) =>
  fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).filter((v) => !schema.safeParse(v).success);

/** Near misses: objects with the schema's field names and values of the wrong kind. */
const nearMiss = (fields: string[], schema: z.ZodMiniType) =>
  fc
    .dictionary(
      fc.constantFrom(...fields, 'extra', '__proto__', 'constructor'),
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.string({ minLength: 2000, maxLength: 2100 }),
      ),
      { maxKeys: fields.length + 1 },
    )
    .filter((v) => !schema.safeParse(v).success);

let admin: string;
let chair: string;
let delegate: string;
let memberId: string;
let proposalId: string;
const counted = { requests: 0, fiveHundreds: 0, partialWrites: 0 };

const send = async (
  method: string,
  path: string,
  who: string,
  opts: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
) => {
  const res = await api(method, path, { token: who, ...opts });
  counted.requests++;
  if (res.status >= 500) counted.fiveHundreds++;
  return res;
};

beforeAll(async () => {
  admin = await token(uniqueId('BIA'), 'admin');
  chair = await token(uniqueId('BIC'), 'chair');
  const author = uniqueId('BID');
  delegate = await token(author, 'delegate');
  const employee = uniqueId('BIM');
  await publish([hiredEvent(employee)]);
  await waitIdle();
  memberId = (await memberByEmployee(employee))!.memberId as string;
  const created = await api('POST', '/proposals', {
    token: delegate,
    body: { title: '坏输入', content: '内容', session: 'BADINPUT' },
  });
  expect(created.status).toBe(201);
  proposalId = created.body.id;
});

describe('generated bodies', () => {
  const routes: Array<{
    name: string;
    method: string;
    path: () => string;
    who: () => string;
    schema: z.ZodMiniType;
    fields: string[];
    expected: number[];
  }> = [
    {
      name: 'POST /members',
      method: 'POST',
      path: () => '/members',
      who: () => admin,
      schema: manualEnrolmentBody,
      fields: ['employeeId', 'name', 'email', 'gender', 'birthDate', 'department', 'hireDate', 'category'],
      expected: [400],
    },
    {
      name: 'POST /members/{id}/leave',
      method: 'POST',
      path: () => `/members/${memberId}/leave`,
      who: () => admin,
      schema: leaveBody,
      fields: ['reason'],
      expected: [400],
    },
    {
      name: 'PUT /departments/{code}',
      method: 'PUT',
      path: () => '/departments/BADINPUT',
      who: () => admin,
      schema: departmentBody,
      fields: ['departmentName', 'branch', 'contactEmail'],
      expected: [400],
    },
    {
      name: 'POST /care/requests',
      method: 'POST',
      path: () => '/care/requests',
      who: () => admin,
      schema: careRequestBody,
      fields: ['memberId', 'kind', 'date', 'note'],
      expected: [400],
    },
    {
      name: 'POST /care/requests/{id}/approve',
      method: 'POST',
      path: () => '/care/requests/NOSUCH/approve',
      who: () => chair,
      schema: decisionBody,
      fields: ['reason'],
      expected: [400, 404],
    },
    {
      name: 'POST /proposals',
      method: 'POST',
      path: () => '/proposals',
      who: () => delegate,
      schema: createProposalBody,
      fields: ['title', 'content', 'category', 'session'],
      expected: [400],
    },
    {
      name: 'POST /proposals/{id}/withdraw',
      method: 'POST',
      path: () => `/proposals/${proposalId}/withdraw`,
      who: () => delegate,
      schema: actionBodies.withdraw,
      fields: ['reason'],
      expected: [400, 409],
    },
    {
      name: 'POST /invitations/{id}/accept',
      method: 'POST',
      path: () => '/invitations/NOSUCH/accept',
      who: () => admin,
      schema: acceptInvitationBody,
      fields: ['token'],
      expected: [400],
    },
  ];

  it('refuses every malformed body with the right 4xx, never a 5xx, and writes nothing', async () => {
    const before = await tableCount();
    const wrong: string[] = [];
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(refusedBy(route.schema), nearMiss(route.fields, route.schema)),
          async (body) => {
            const res = await send(route.method, route.path(), route.who(), { body });
            if (!route.expected.includes(res.status)) {
              wrong.push(`${route.name}: ${res.status} for ${JSON.stringify(body).slice(0, 120)}`);
              return false;
            }
            // A 400 names what failed.
            if (res.status === 400) return typeof res.body?.message === 'string';
            return true;
          },
        ),
        { numRuns: RUNS },
      );
      // Arbitrary text sent as JSON: not JSON, or JSON the schema refuses.
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
          // What the route will validate: an empty body is an absent one ({}), anything else parsed.
          const asSent = (): unknown => {
            if (text === '') return {};
            try {
              return JSON.parse(text);
            } catch {
              return undefined;
            }
          };
          fc.pre(!route.schema.safeParse(asSent()).success);
          const res = await send(route.method, route.path(), route.who(), {
            rawBody: text,
            headers: { 'content-type': 'application/json' },
          });
          return [...route.expected, 400].includes(res.status);
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    }
    counted.partialWrites += Math.abs((await tableCount()) - before);
    expect(wrong).toEqual([]);
    expect(await tableCount()).toBe(before);
  });
});

describe('classic bad input', () => {
  it('answers wrong content types 415, oversized bodies 413, deep JSON 400, and writes nothing', async () => {
    const before = await tableCount();
    const valid = JSON.stringify({ title: '标题', content: '内容', session: 'BADINPUT' });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ]) {
      expect(
        (await send('POST', '/proposals', delegate, { rawBody: valid, headers: { 'content-type': type } }))
          .status,
      ).toBe(415);
    }
    expect((await send('POST', '/proposals', delegate, { rawBody: valid })).status).toBe(415);
    const big = JSON.stringify({ title: 't', content: 'x'.repeat(70 * 1024) });
    expect(
      (
        await send('POST', '/proposals', delegate, {
          rawBody: big,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(413);
    const huge = 'x'.repeat(11 * 1024 * 1024);
    expect(
      (
        await send('POST', '/proposals', delegate, {
          rawBody: huge,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(413);
    for (const depth of [100, 5_000, 50_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const nested = `{"title":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"content":"x"}`;
      for (const rawBody of [deep, nested]) {
        const res = await send('POST', '/proposals', delegate, {
          rawBody,
          headers: { 'content-type': 'application/json' },
        });
        expect([400, 413]).toContain(res.status);
      }
    }
    counted.partialWrites += Math.abs((await tableCount()) - before);
    expect(await tableCount()).toBe(before);
  });

  it('stores unicode edge cases and injection-looking text verbatim', async () => {
    const titles = [
      '𠀀𠀁 扩展汉字 😀 outside the BMP',
      'RTL \u202Eevil\u202C mark and \u200F marks',
      "' OR 1=1 --",
      '<script>alert(1)</script>',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, meant literally
      '${7*7} {{7*7}} #{7*7}',
      '{"$gt": ""}',
      'NUL\u0000inside',
      'combining é (e\u0301) and ZWJ 👩\u200D💻',
    ];
    for (const title of titles) {
      const res = await send('POST', '/proposals', delegate, {
        body: { title, content: title, session: 'BADINPUT' },
      });
      expect(res.status).toBe(201);
      const read = await send('GET', `/proposals/${res.body.id}`, delegate, {});
      expect(read.status).toBe(200);
      expect(read.body.title).toBe(title);
      expect(read.body.content).toBe(title);
    }
  });
});

describe('malformed HR events', () => {
  it('sends every one to the DLQ and writes no member', async () => {
    const run = randomUUID().slice(0, 8);
    const mutations: Array<(d: Record<string, unknown>) => void> = [
      (d) => delete d.employeeId,
      (d) => delete d.occurredAt,
      (d) => delete d.department,
      (d) => {
        d.email = 'not-an-address';
      },
      (d) => {
        d.birthDate = '1990-13-45';
      },
      (d) => {
        d.employmentType = 'volunteer';
      },
      (d) => {
        d.gender = 42;
      },
      (d) => {
        d.department = 'CS';
      },
      (d) => {
        d.hireDate = null;
      },
      (d) => {
        d.occurredAt = 'yesterday';
      },
    ];
    const events = await fc.sample(
      fc.record({
        mutation: fc.nat({ max: mutations.length - 1 }),
        extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
      }),
      { numRuns: 60, seed: 42 },
    );
    const published = events.map(({ mutation, extra }, i) => {
      const e = hiredEvent(`BAD${run}${i}`.toUpperCase());
      const detail = { ...e.detail } as Record<string, unknown>;
      mutations[mutation]!(detail);
      if (extra !== undefined) detail.unexpected = extra;
      // The run's mark, to find these in the DLQ (no mutation touches the name).
      detail.name = `bad-input-${run}`;
      return { ...e, detail };
    });
    await publish(published);
    await waitIdle(120_000);
    const dead = (await listDlq({ queue: 'hr' })).filter((m) =>
      JSON.stringify(m.body).includes(`bad-input-${run}`),
    );
    for (let i = 0; i < published.length; i++)
      expect(await memberByEmployee(`BAD${run}${i}`.toUpperCase())).toBeUndefined();
    recordFigure({
      id: 'bad-input.events',
      section: 'bad input',
      what: 'malformed HR events on the bus (missing fields, wrong types, bad dates and enums, unexpected fields)',
      counts: { published: published.length, 'in the DLQ': dead.length, 'members written': 0 },
      command: 'npx vitest run test/e2e/bad-input.test.ts',
    });
    expect(dead.length).toBe(published.length);
  });
});

describe('malformed messages on every consumer’s queue', () => {
  it('sends each to its queue’s DLQ and writes nothing', async () => {
    const info = runtime();
    const sqs = new SQSClient(localClientConfig(info as never, info.endpoints.sqs));
    const run = randomUUID().slice(0, 8);
    const before = await tableCount();
    // Not JSON, JSON of the wrong shape, and an event whose detail is wrong; each carries the run's mark.
    const bodies = await fc.sample(
      fc.oneof(
        // Any text the SQS emulator takes (it refuses control characters, surrogates and, unlike SQS,
        // characters beyond the BMP).
        fc
          .string({ unit: 'binary', minLength: 1, maxLength: 80 })
          .map((t) => `mark:${run} ${t.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '?')}`),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ mark: run, payload: v })),
        fc.constant(JSON.stringify({ mark: run, 'detail-type': 'MemberEnrolled', detail: { eventId: 1 } })),
      ),
      { numRuns: 8, seed: 7 },
    );
    const consumers = (Object.keys(queues) as QueueKey[]).filter((k) => k !== 'outboxFailures');
    let sent = 0;
    for (const key of consumers) {
      for (const body of bodies) {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: info.queues[key].url,
            MessageBody: body,
          }),
        );
        sent++;
      }
    }
    await waitIdle(120_000);
    const dead = (await listDlq({})).filter((m) => JSON.stringify(m.body).includes(run));
    recordFigure({
      id: 'bad-input.queues',
      section: 'bad input',
      what: `malformed messages straight onto every consumer's queue (${consumers.join(', ')})`,
      counts: { sent, 'in the DLQs': dead.length, 'items written': (await tableCount()) - before },
      command: 'npx vitest run test/e2e/bad-input.test.ts',
    });
    expect(dead.length).toBe(sent);
    expect(await tableCount()).toBe(before);
  });
});

it('records the figure', () => {
  recordFigure({
    id: 'bad-input.http',
    section: 'bad input',
    what: 'generated malformed bodies (fast-check, refused by the routes’ own zod schemas) and arbitrary text on 8 JSON routes, wrong content types, oversized and deeply nested bodies, unicode and injection-looking text',
    counts: {
      requests: counted.requests,
      '5xx': counted.fiveHundreds,
      'partial writes': counted.partialWrites,
    },
    command: 'npx vitest run test/e2e/bad-input.test.ts',
  });
  expect(counted.fiveHundreds).toBe(0);
  expect(counted.partialWrites).toBe(0);
});
