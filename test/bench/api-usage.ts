/**
 * What one API call uses, for the cost model: a runtime with the DynamoDB meter, a few members
 * enrolled first, then a member's visit to the web app repeated (membership, activities,
 * surveys, their letters and suggestions) and a delegate's proposal work (create, read, list),
 * each call through the local API gateway with a signed JWT. Per call: the function's billed
 * duration, its log bytes, DynamoDB requests and request units.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { mapBenchDepartments } from './branches.ts';
import { hireEntries } from './hires.ts';
import { perUnit, startUsage, type Usage } from './usage.ts';

const MEMBERS = 20;
const VISITS = 10;
const LANES = 4;

/** A member's visit to the web app's home pages, as the app calls the API. */
const MEMBER_VISIT = ['/members/me', '/activities', '/surveys', '/letters', '/suggestions'];

export interface ApiUsage {
  calls: number;
  mix: string;
  perCall: Usage;
}

export const measureApiUsage = async (dataDir: string): Promise<ApiUsage> => {
  const runtime = await startRuntime({ dataDir, port: 0, meterDynamo: true });
  try {
    const { info } = runtime;
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
    );
    await mapBenchDepartments(db, info.tableName);
    const bus = new EventBridgeClient(localClientConfig(info, info.endpoints.eventbridge));
    const entries = hireEntries(info.busName, 'BU', MEMBERS);
    for (let i = 0; i < entries.length; i += 10)
      await bus.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
    await waitForIdle(info.controlUrl, 120_000);
    const ids = entries.map((e) => (JSON.parse(e.Detail) as { employeeId: string }).employeeId);
    const tokens = await Promise.all(
      ids.map((sub, i) =>
        runtime.issuer.sign({ sub, groups: i % 4 === 0 ? ['member', 'delegate'] : ['member'] }),
      ),
    );
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${info.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      return text ? (JSON.parse(text) as { id?: string }) : {};
    };
    // Each function warm first, one call at a time: cold starts are the init benchmark's (and
    // twenty at once on a loaded machine ran past the 10-s init limit).
    for (const path of [...MEMBER_VISIT, '/proposals?limit=1']) await call(tokens[0]!, 'GET', path);

    runtime.dynamoMeter!.reset();
    const usage = await startUsage(runtime);
    let calls = 0;
    for (let v = 0; v < VISITS; v++) {
      // Four members at a time: what one function's warm instances serve, not a burst of cold ones.
      for (let from = 0; from < tokens.length; from += LANES)
        await Promise.all(
          tokens.slice(from, from + LANES).map(async (token, k) => {
            const i = from + k;
            for (const path of MEMBER_VISIT) {
              await call(token, 'GET', path);
              calls++;
            }
            if (i % 4 === 0) {
              const { id } = await call(token, 'POST', '/proposals', {
                title: `提案 ${v}-${i}`,
                content: '内容'.repeat(50),
                session: 'BENCH',
              });
              await call(token, 'GET', `/proposals/${id}`);
              await call(token, 'GET', '/proposals?limit=20');
              calls += 3;
            }
          }),
        );
    }
    const work = await usage.read();
    return {
      calls,
      mix: `${MEMBERS} members (a quarter of them delegates), ${VISITS} visits each: GET ${MEMBER_VISIT.join(', GET ')}; delegates also POST /proposals, GET /proposals/{id} and GET /proposals?limit=20`,
      perCall: perUnit(work, calls),
    };
  } finally {
    await runtime.stop();
  }
};
