/**
 * What a stretch of work used of what AWS bills, as the embedded runtime sees it: per function,
 * invocations, billed duration and the bytes it logged (what CloudWatch Logs would ingest:
 * Lambda's START/END/REPORT lines and the function's own), DynamoDB requests and billed request
 * units (the meter, when the runtime has one), and the events put on the bus. Benchmarks divide
 * it by what they did (a hire, a cared member, a mail, an API call) and hand it to the cost model.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../../infra/local/runtime.ts';

export interface FunctionUsage {
  invocations: number;
  billedMs: number;
  logBytes: number;
  dynamoRequests: number;
  writeUnits: number;
  readUnits: number;
}

export interface Usage {
  functions: Record<string, FunctionUsage>;
  busEvents: number;
}

const logSizes = (logDir: string): Record<string, number> => {
  const sizes: Record<string, number> = {};
  let files: string[] = [];
  try {
    files = readdirSync(logDir);
  } catch {
    return sizes;
  }
  for (const file of files.filter((f) => f.endsWith('.log'))) {
    sizes[file.slice(0, -'.log'.length)] = statSync(join(logDir, file)).size;
  }
  return sizes;
};

/**
 * Starts counting from now. The DynamoDB part counts from the meter's last reset: reset the
 * meter when starting this (the benchmarks do both at the same moment).
 */
export const startUsage = async (runtime: Runtime) => {
  const status0 = await runtime.status();
  const logs0 = logSizes(runtime.info.logDir);
  return {
    async read(): Promise<Usage> {
      const status = await runtime.status();
      const logs = logSizes(runtime.info.logDir);
      await runtime.dynamoMeter?.settled();
      const meter = runtime.dynamoMeter?.reading();
      const functions: Record<string, FunctionUsage> = {};
      for (const [fn, stats] of Object.entries(status.invocations)) {
        const before = status0.invocations[fn as keyof typeof status0.invocations];
        const requests = Object.values(meter?.byFunction[fn] ?? {}).reduce((n, c) => n + c, 0);
        const usage: FunctionUsage = {
          invocations: stats.invoked - (before?.invoked ?? 0),
          billedMs: stats.billedMs - (before?.billedMs ?? 0),
          logBytes: (logs[fn] ?? 0) - (logs0[fn] ?? 0),
          dynamoRequests: requests,
          writeUnits: meter?.unitsByFunction[fn]?.write ?? 0,
          readUnits: meter?.unitsByFunction[fn]?.read ?? 0,
        };
        if (Object.values(usage).some((v) => v > 0)) functions[fn] = usage;
      }
      return { functions, busEvents: status.bus.published - status0.bus.published };
    },
  };
};

/** Usage divided by a number of units of work (per hire, per member, per mail, per call). */
export const perUnit = (usage: Usage, units: number): Usage => ({
  functions: Object.fromEntries(
    Object.entries(usage.functions).map(([fn, u]) => [
      fn,
      Object.fromEntries(Object.entries(u).map(([k, v]) => [k, v / units])) as unknown as FunctionUsage,
    ]),
  ),
  busEvents: usage.busEvents / units,
});
