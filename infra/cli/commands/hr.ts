/** `gonghui hr publish FILE|-`: puts HR events on the bus, as HR's system would. */
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CliError, loadRuntimeInfo, localClientConfig } from '../runtime-info.ts';

interface EventInput {
  source?: unknown;
  'detail-type'?: unknown;
  detail?: unknown;
  time?: unknown;
}

const readInput = (file: string): EventInput[] => {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: not JSON (${(error as Error).message})`);
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  for (const [i, e] of events.entries()) {
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.source !== 'string' ||
      typeof e['detail-type'] !== 'string'
    ) {
      throw new CliError(`${file}: event ${i} needs "source", "detail-type" and "detail"`);
    }
  }
  return events as EventInput[];
};

export const hrPublish = async (file: string, opts: { aws?: boolean; bus?: string }) => {
  const events = readInput(file);
  let client: EventBridgeClient;
  let busName: string;
  if (opts.aws) {
    if (!opts.bus) throw new CliError('--aws needs --bus NAME (the deployed stack prints it)');
    client = new EventBridgeClient({});
    busName = opts.bus;
  } else {
    const info = loadRuntimeInfo();
    client = new EventBridgeClient(localClientConfig(info, info.endpoints.eventbridge));
    busName = info.busName;
  }
  const results: Array<{ index: number; eventId?: string; error?: string }> = [];
  for (let start = 0; start < events.length; start += 10) {
    const chunk = events.slice(start, start + 10);
    const out = await client.send(
      new PutEventsCommand({
        Entries: chunk.map((e) => ({
          EventBusName: busName,
          Source: e.source as string,
          DetailType: e['detail-type'] as string,
          Detail: JSON.stringify(e.detail ?? {}),
          ...(typeof e.time === 'string' ? { Time: new Date(e.time) } : {}),
        })),
      }),
    );
    for (const [i, entry] of (out.Entries ?? []).entries()) {
      results.push({
        index: start + i,
        ...(entry.EventId ? { eventId: entry.EventId } : {}),
        ...(entry.ErrorCode ? { error: `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}` } : {}),
      });
    }
  }
  const failed = results.filter((r) => r.error);
  return { published: results.length - failed.length, failed };
};
