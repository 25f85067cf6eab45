/** Puts EmployeeHired events for the given 工号 on a runtime's bus, ten per PutEvents call, `lanes` calls at once. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import type { RuntimeInfo } from '../../infra/local/runtime.ts';
import { hiredEvent } from '../e2e/support.ts';

export const putHires = async (info: RuntimeInfo, ids: string[], lanes = 1): Promise<void> => {
  const bus = new EventBridgeClient(localClientConfig(info, info.endpoints.eventbridge));
  const chunks = Array.from({ length: Math.ceil(ids.length / 10) }, (_, i) => ids.slice(i * 10, i * 10 + 10));
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < chunks.length; i += lanes) {
        await bus.send(
          new PutEventsCommand({
            Entries: chunks[i]!.map((id) => {
              const e = hiredEvent(id);
              return {
                EventBusName: info.busName,
                Source: e.source,
                DetailType: e['detail-type'],
                Detail: JSON.stringify(e.detail),
              };
            }),
          }),
        );
      }
    }),
  );
};
