/**
 * `npm run bench`: runs the benchmarks the issues name and writes BENCHMARKS.md with the
 * machine, the command and the figures. `npm run bench -- init mail` runs a subset.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchApiLatency } from './api-latency.ts';
import { benchCare } from './care.ts';
import { benchCost, benchProvince } from './cost/benches.ts';
import { FIGURES_FILE } from './cost/inputs.ts';
import { benchDashboard } from './dashboard.ts';
import { benchFunctionInit } from './function-init.ts';
import { benchHires } from './hires.ts';
import { machine } from './machine.ts';
import { benchMailPacing } from './mail-pacing.ts';
import { benchWeb } from './web.ts';

/**
 * A benchmark: its section of BENCHMARKS.md, whether it met its targets, and optionally figures
 * for other scripts (the cost model reads them from .bench/figures/<name>.json).
 */
type Bench = (
  workDir: string,
) => Promise<{ title: string; body: string; ok: boolean; figures?: Record<string, unknown> }>;

// In the order they run and appear: cost and province read the figures of the ones before them.
const benches: Record<string, Bench> = {
  init: benchFunctionInit,
  mail: benchMailPacing,
  hires: benchHires,
  care: benchCare,
  api: benchApiLatency,
  web: benchWeb,
  dashboard: benchDashboard,
  cost: benchCost,
  province: benchProvince,
};

const selected = process.argv.slice(2).filter((a) => benches[a]);
// Each benchmark's section is kept in .bench/sections, so `npm run bench -- mail` rewrites its
// own section and keeps the others (each section's figures come from one run of its own).
const SECTIONS = '.bench/sections';
const FIGURES = '.bench/figures';
mkdirSync(SECTIONS, { recursive: true });
mkdirSync(FIGURES, { recursive: true });
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
    const took = ((Date.now() - started) / 1000).toFixed(0);
    const section = `## ${r.title}\n\nMeasured ${new Date().toISOString()} by \`npm run bench -- ${name}\`.\n\n${r.body}\n\nResult: ${r.ok ? 'within target' : '**target missed**'} (took ${took} s)`;
    writeFileSync(join(SECTIONS, `${name}.md`), section);
    if (r.figures)
      writeFileSync(
        join(FIGURES, `${name}.json`),
        JSON.stringify({ measured: new Date().toISOString(), ...r.figures }, null, 2),
      );
    process.stdout.write(`${r.body}\n\n`);
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

const figures: Record<string, unknown> = {};
for (const name of Object.keys(benches)) {
  const file = join(SECTIONS, `${name}.md`);
  if (existsSync(file)) sections.push(readFileSync(file, 'utf8'));
  const data = join(FIGURES, `${name}.json`);
  if (existsSync(data)) figures[name] = JSON.parse(readFileSync(data, 'utf8'));
}
// The figures behind BENCHMARKS.md, for `npm run cost` on a fresh clone.
writeFileSync(FIGURES_FILE, `${JSON.stringify({ written: new Date().toISOString(), figures }, null, 2)}\n`);

const doc = `# Benchmarks

Written by \`npm run bench\` (all) or \`npm run bench -- NAME…\` (${Object.keys(benches).join(', ')}); last written ${new Date().toISOString()}.

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. These machines are shared and noisy:
compare figures measured in the same run, not across runs.

${sections.join('\n\n')}
`;
writeFileSync('BENCHMARKS.md', doc);
process.stdout.write(`BENCHMARKS.md written; ${allOk ? 'every target met' : 'some targets missed'}\n`);
