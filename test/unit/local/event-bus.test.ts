import { request } from 'node:http';
import {
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventBridgeEvent, type LocalEventBus, startEventBus } from '../../../infra/local/event-bus.ts';
import { LOCAL_PARTITION } from '../../../infra/local/local-env.ts';

const REGION = 'cn-north-1';
const ACCOUNT = '123456789012';
const BUS = 'gonghui';

const rules = [
  { id: 'Exact', pattern: { source: ['university.hr'] } },
  { id: 'Prefix', pattern: { source: [{ prefix: 'university.' }], 'detail-type': ['EmployeeHired'] } },
];

interface Harness {
  bus: LocalEventBus;
  client: EventBridgeClient;
  delivered: Array<{ ruleId: string; event: EventBridgeEvent }>;
}

let open: Harness[] = [];

const start = async (
  deliver?: (ruleId: string, event: EventBridgeEvent) => Promise<void>,
): Promise<Harness> => {
  const delivered: Harness['delivered'] = [];
  const bus = await startEventBus({
    busName: BUS,
    region: REGION,
    accountId: ACCOUNT,
    rules,
    deliver: async (ruleId, event) => {
      if (deliver) await deliver(ruleId, event);
      delivered.push({ ruleId, event });
    },
  });
  const client = new EventBridgeClient({
    region: REGION,
    endpoint: bus.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const h = { bus, client, delivered };
  open.push(h);
  return h;
};

afterEach(async () => {
  for (const h of open) {
    h.client.destroy();
    await h.bus.stop();
  }
  open = [];
});

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: BUS,
  Source: 'university.hr',
  DetailType: 'EmployeeHired',
  Detail: JSON.stringify({ eventId: 'e-1', employeeId: 'T001' }),
  ...overrides,
});

describe('local EventBridge: PutEvents through the real SDK', () => {
  it('delivers to every matching rule before answering, with the event AWS would build', async () => {
    const { client, delivered, bus } = await start();
    const time = new Date('2026-11-24T00:00:00.456Z');
    const out = await client.send(
      new PutEventsCommand({ Entries: [entry({ Time: time, Resources: ['r1'] })] }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toHaveLength(1);
    const eventId = out.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivered.map((d) => d.ruleId).sort()).toEqual(['Exact', 'Prefix']);
    expect(delivered[0]?.event).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'EmployeeHired',
      source: 'university.hr',
      account: ACCOUNT,
      time: '2026-11-24T00:00:00Z',
      region: REGION,
      resources: ['r1'],
      detail: { eventId: 'e-1', employeeId: 'T001' },
    });
    expect(bus.published()).toBe(1);
  });

  it('stamps the current time to the second when Time is absent', async () => {
    const { client, delivered } = await start();
    const before = Math.floor(Date.now() / 1000) * 1000;
    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    const event = delivered[0]!.event;
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before);
    expect(event.resources).toEqual([]);
  });

  it('routes by pattern and accepts an event no rule matches', async () => {
    const { client, delivered } = await start();
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: 'university.finance' }),
          entry({ DetailType: 'EmployeeLeft' }),
          entry({ Source: 'someone.else' }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(delivered.map((d) => `${d.ruleId}:${d.event.source}:${d.event['detail-type']}`).sort()).toEqual([
      'Exact:university.hr:EmployeeLeft',
      'Prefix:university.finance:EmployeeHired',
    ]);
  });

  it('accepts a batch of 10 and refuses 11 or none', async () => {
    const { client, delivered } = await start();
    const ten = Array.from({ length: 10 }, (_, i) => entry({ Detail: JSON.stringify({ i }) }));
    const out = await client.send(new PutEventsCommand({ Entries: ten }));
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toHaveLength(10);
    expect(new Set(out.Entries?.map((e) => e.EventId)).size).toBe(10);
    expect(delivered.filter((d) => d.ruleId === 'Exact')).toHaveLength(10);

    await expect(client.send(new PutEventsCommand({ Entries: [...ten, entry()] }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('reports per-entry errors like AWS, in request order, and delivers the good entries', async () => {
    const { client, delivered } = await start();
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: '{"broken": ' }),
          entry({ Detail: '[1, 2]' }),
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry({ Source: 'aws.events' }),
          entry(),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(6);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'NotAuthorizedForSourceException',
      'ok',
    ]);
    expect(out.Entries?.[2]?.ErrorMessage).toContain('Source');
    expect(delivered.filter((d) => d.ruleId === 'Exact')).toHaveLength(1);
  });

  it('accepts the bus by name or ARN and refuses another bus or the default bus', async () => {
    const { client } = await start();
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ EventBusName: `arn:${LOCAL_PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/${BUS}` }),
          entry({ EventBusName: 'other' }),
          entry({ EventBusName: `arn:${LOCAL_PARTITION}:events:${REGION}:999999999999:event-bus/${BUS}` }),
          entry({ EventBusName: undefined }),
          entry({ EventBusName: 'default' }),
        ],
      }),
    );
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'NotFoundException',
      'NotFoundException',
      'NotFoundException',
      'NotFoundException',
    ]);
    expect(out.Entries?.[1]?.ErrorMessage).toBe('Event bus other does not exist.');
    expect(out.Entries?.[3]?.ErrorMessage).toBe('Event bus default does not exist.');
  });

  it('refuses a request whose entries total more than 256 KB', async () => {
    const { client } = await start();
    const big = (n: number) => JSON.stringify({ pad: 'x'.repeat(n) });
    // Source + DetailType = 13 + 13 bytes, the detail's JSON wrapper 10 bytes.
    const justFits = 256 * 1024 - 26 - 10;
    const ok = await client.send(new PutEventsCommand({ Entries: [entry({ Detail: big(justFits) })] }));
    expect(ok.FailedEntryCount).toBe(0);
    await expect(
      client.send(new PutEventsCommand({ Entries: [entry({ Detail: big(justFits + 1) })] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      client.send(
        new PutEventsCommand({ Entries: [entry({ Detail: big(150_000) }), entry({ Detail: big(150_000) })] }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('fails an entry whose delivery fails (retryable InternalFailure) and keeps the others', async () => {
    const { client, bus } = await start(async (ruleId, event) => {
      if (ruleId === 'Prefix' && event.detail.fail === true) throw new Error('queue unavailable');
    });
    const out = await client.send(
      new PutEventsCommand({
        Entries: [entry({ Detail: '{"fail":true}' }), entry({ Detail: '{"fail":false}' })],
      }),
    );
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]).toMatchObject({ ErrorCode: 'InternalFailure' });
    expect(out.Entries?.[1]?.EventId).toBeDefined();
    expect(bus.published()).toBe(1);
  });

  it('works with a client configured through AWS_ENDPOINT_URL_EVENTBRIDGE', async () => {
    const { bus, delivered } = await start();
    const saved = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.endpoint;
    try {
      const client = new EventBridgeClient({
        region: REGION,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      const out = await client.send(new PutEventsCommand({ Entries: [entry()] }));
      client.destroy();
      expect(out.FailedEntryCount).toBe(0);
      expect(delivered.length).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
      else process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = saved;
    }
  });

  it('answers DescribeEventBus and ListRules, and refuses unknown operations', async () => {
    const { client } = await start();
    const described = await client.send(new DescribeEventBusCommand({ Name: BUS }));
    expect(described).toMatchObject({
      Name: BUS,
      Arn: `arn:${LOCAL_PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/${BUS}`,
    });
    const listed = await client.send(new ListRulesCommand({ EventBusName: BUS }));
    expect(listed.Rules?.map((r) => r.Name)).toEqual(['Exact', 'Prefix']);
    expect(JSON.parse(listed.Rules?.[0]?.EventPattern ?? '')).toEqual(rules[0]?.pattern);
    await expect(client.send(new PutRuleCommand({ Name: 'x', EventPattern: '{}' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a rule pattern AWS would refuse, at start', async () => {
    await expect(
      startEventBus({
        busName: BUS,
        region: REGION,
        accountId: ACCOUNT,
        rules: [{ id: 'Bad', pattern: { source: 'not-a-list' } }],
        deliver: async () => {},
      }),
    ).rejects.toThrow(/leaf must be a list/);
  });

  it('stop() closes the server, keep-alive sockets included', async () => {
    const h = await start();
    open = [];
    await h.client.send(new PutEventsCommand({ Entries: [entry()] })); // leaves a keep-alive socket open
    const began = Date.now();
    await h.bus.stop();
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(h.bus.inflight()).toBe(0);
    const refused = await new Promise<string>((resolve) => {
      const req = request(`${h.bus.endpoint}/`, { method: 'POST', agent: false }, () => resolve('answered'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.end();
    });
    expect(refused).toBe('ECONNREFUSED');
    h.client.destroy();
  });
});
