/** `gonghui wait`: returns when every queue, the stream and the outbox are drained. */
import { CliError, loadRuntimeInfo } from '../runtime-info.ts';

export interface RuntimeStatus {
  idle: boolean;
  [key: string]: unknown;
}

export const fetchStatus = async (controlUrl: string): Promise<RuntimeStatus> => {
  const res = await fetch(`${controlUrl}/status`);
  if (!res.ok) throw new CliError(`runtime status answered ${res.status}`);
  return (await res.json()) as RuntimeStatus;
};

/**
 * Idle must hold on a few consecutive looks: a message can be between two hops (stream read,
 * not yet on the bus) for an instant in which every counter reads zero.
 */
export const waitForIdle = async (
  controlUrl: string,
  timeoutMs: number,
  settleChecks = 3,
): Promise<RuntimeStatus> => {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  let status: RuntimeStatus;
  for (;;) {
    status = await fetchStatus(controlUrl);
    calm = status.idle ? calm + 1 : 0;
    if (calm >= settleChecks) return status;
    if (Date.now() > deadline) {
      throw new CliError(`still busy after ${timeoutMs / 1000} s: ${JSON.stringify(status)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
};

export const waitCommand = async (opts: { timeout?: string }) => {
  const seconds = Number(opts.timeout ?? '60');
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new CliError('--timeout takes seconds, e.g. --timeout 60');
  return waitForIdle(loadRuntimeInfo().controlUrl, seconds * 1000);
};
