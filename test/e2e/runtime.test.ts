/**
 * The embedded runtime itself: a second runtime beside the shared one (its own ports and data
 * directory), data that survives a restart, runtime.json written and removed, and a clean stop.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { listMail } from '../../infra/cli/commands/mail.ts';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { hiredEvent, runtime as sharedRuntime } from './support.ts';

describe('embedded runtime', () => {
  it('runs beside another one and keeps its data across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gonghui-restart-'));
    try {
      const first = await startRuntime({ dataDir, port: 0 });
      expect(first.info.apiUrl).not.toBe(sharedRuntime().apiUrl);
      expect(existsSync(join(dataDir, 'runtime.json'))).toBe(true);
      const hire = hiredEvent('RESTART1');
      const bus = new EventBridgeClient(localClientConfig(first.info, first.info.endpoints.eventbridge));
      await bus.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: first.info.busName,
              Source: hire.source,
              DetailType: hire['detail-type'],
              Detail: JSON.stringify(hire.detail),
            },
          ],
        }),
      );
      await waitForIdle(first.info.controlUrl, 60_000);
      expect((await listMail(first.info)).map((m) => m.to[0])).toContain('restart1@example.edu.cn');
      await first.stop();
      expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);

      const second = await startRuntime({ dataDir, port: 0 });
      try {
        expect((await fetch(`${second.info.apiUrl}/health`)).status).toBe(200);
        // The member (DynamoDB Local), the mail (the SES emulator's inbox) and the issuer's key survive.
        const token = await second.issuer.sign({ sub: 'RESTART1', groups: ['member'] });
        const me = await fetch(`${second.info.apiUrl}/members/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { membershipNumber: string }).membershipNumber).toBe('GLU-2026-000001');
        expect((await listMail(second.info)).map((m) => m.to[0])).toContain('restart1@example.edu.cn');
        // Nothing is replayed: the stream resumes from its checkpoint, so still one mail.
        await waitForIdle(second.info.controlUrl, 60_000);
        expect(
          (await listMail(second.info)).filter((m) => m.to[0] === 'restart1@example.edu.cn'),
        ).toHaveLength(1);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
