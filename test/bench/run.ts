/**
 * `npm run bench`: runs the benchmarks the issues name and writes BENCHMARKS.md with the
 * machine, the command and the figures. `npm run bench -- init mail` runs a subset.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchApiLatency } from './api-latency.ts';
import { benchCare } from './care.ts';
import { benchFunctionInit } from './function-init.ts';
import { benchHires } from './hires.ts';
import { machine } from './machine.ts';
import { benchMailPacing } from './mail-pacing.ts';

type Bench = (workDir: string) => Promise<{ title: string; body: string; ok: boolean }>;

const benches: Record<string, Bench> = {
  init: benchFunctionInit,
  mail: benchMailPacing,
  hires: benchHires,
  care: benchCare,
  api: benchApiLatency,
};

const selected = process.argv.slice(2).filter((a) => benches[a]);
const names = selected.length ? selected : Object.keys(benches);
const m = machine();
const sections: string[] = [];
let allOk = true;
for (const name of names) {
  const dir = mkdtempSync(join(tmpdir(), `gonghui-bench-${name}-`));
  process.stdout.write(`bench ${name} …\n`);
  const started = Date.now();
  try {
    const r = await benches[name]!(dir);
    allOk &&= r.ok;
    sections.push(
      `## ${r.title}\n\n${r.body}\n\nResult: ${r.ok ? 'within target' : '**target missed**'} (took ${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    process.stdout.write(`${r.body}\n\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const doc = `# Benchmarks

Written by \`npm run bench${selected.length ? ` -- ${selected.join(' ')}` : ''}\` on ${new Date().toISOString()}.

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. These machines are shared and noisy:
compare figures measured in the same run, not across runs.

${sections.join('\n\n')}
`;
writeFileSync('BENCHMARKS.md', doc);
process.stdout.write(`BENCHMARKS.md written; ${allOk ? 'every target met' : 'some targets missed'}\n`);
