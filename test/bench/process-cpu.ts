/**
 * CPU time spent by DynamoDB Local (the java process the runtime started) and by this Node
 * process (the runtime's main thread and its function workers), read from /proc. On a shared
 * machine a benchmark's wall time depends on what else runs; the CPU it took per hire is
 * steadier, and shows which of the two would run out first. Linux only: elsewhere undefined.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (100 on Linux). */
const TICKS = 100;

const statOf = (pid: number | string): string[] | undefined => {
  try {
    // The command name (2nd field) may hold spaces; the fields after its ')' do not.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};

/** utime + stime of a process, all its threads, in ms. */
const cpuMsOf = (pid: number): number | undefined => {
  const s = statOf(pid);
  return s ? ((Number(s[11]) + Number(s[12])) * 1000) / TICKS : undefined;
};

const parentOf = (pid: string): number | undefined => {
  const s = statOf(pid);
  return s ? Number(s[1]) : undefined;
};

/** The DynamoDB Local java process started by this process (its child or grandchild). */
export const dynamoDbLocalPid = (): number | undefined => {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes('DynamoDBLocal')) continue;
    for (let p: number | undefined = Number(pid), hops = 0; p && hops < 4; hops++) {
      p = parentOf(String(p));
      if (p === process.pid) return Number(pid);
    }
  }
  return undefined;
};

export interface CpuReading {
  /** DynamoDB Local's CPU time (ms). */
  dynamoDbMs: number;
  /** This process's CPU time (ms): the runtime, its function workers, and the benchmark's own polling. */
  nodeMs: number;
}

/** CPU used since the meter started; undefined where /proc or the java process cannot be read. */
export const startCpuMeter = () => {
  const pid = dynamoDbLocalPid();
  const node = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const java0 = pid === undefined ? undefined : cpuMsOf(pid);
  const node0 = node();
  return {
    read(): CpuReading | undefined {
      const java = pid === undefined ? undefined : cpuMsOf(pid);
      if (java === undefined || java0 === undefined) return undefined;
      return { dynamoDbMs: java - java0, nodeMs: node() - node0 };
    },
  };
};
