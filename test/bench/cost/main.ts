/**
 * `npm run cost`: the monthly AWS bill at 3,000, 30,000 and 1,000,000 members and the province
 * simulation, from the figures of the last benchmark run (BENCHMARKS.json; `--dir .bench/figures`
 * for a run not yet written up). Prints Markdown; `npm run bench -- cost province` writes the
 * same into BENCHMARKS.md.
 */
import { costInputs, FIGURES_DIR, readFiguresDir, readFiguresFile } from './inputs.ts';
import { US_EAST_1 } from './prices.ts';
import { simulateProvince } from './province.ts';
import { renderCost } from './report.ts';

const fromDir = process.argv.includes('--dir');
const figures = fromDir ? readFiguresDir(FIGURES_DIR) : readFiguresFile();
const inputs = costInputs(figures);
if (!('units' in inputs) || !inputs.units) {
  process.stderr.write(`No figures for the cost model yet: ${inputs.missing.join(', ')}\n`);
  process.exit(1);
}
const cost = renderCost(inputs.units, US_EAST_1, inputs.sources);
const province = simulateProvince(inputs.province);
process.stdout.write(
  `## What it costs\n\n${cost.body}\n\n## A province: 1,000,000 members\n\n${province.body}\n`,
);
