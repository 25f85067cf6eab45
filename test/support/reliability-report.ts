/**
 * `npm run reliability`: writes RELIABILITY.md from the figures the last runs recorded
 * (test/support/figures.ts; `.reliability/figures.jsonl`). It runs nothing itself: run
 * `npm test` and `npm run test:soak` first; a figure nobody recorded shows as "not run".
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine } from '../bench/machine.ts';
import { FIGURES_FILE, type Figure } from './figures.ts';

const SECTIONS: Array<[string, string]> = [
  ['faults', 'Faults injected through the embedded services, and what survived'],
  ['bad input', 'Generated and classic bad input'],
  ['access', 'Access: routes × roles × objects, and bad tokens'],
  ['aws', 'The AWS side'],
  ['logs', 'Personal data in logs'],
];

type Recorded = Figure & { at: string };

const read = (): Recorded[] => {
  if (!existsSync(FIGURES_FILE)) return [];
  const newest = new Map<string, Recorded>();
  for (const line of readFileSync(FIGURES_FILE, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const figure = JSON.parse(line) as Recorded;
    const seen = newest.get(figure.id);
    if (!seen || seen.at <= figure.at) newest.set(figure.id, figure);
  }
  return [...newest.values()].sort((a, b) => a.id.localeCompare(b.id));
};

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export const renderReliability = (figures: Recorded[], now = new Date()): string => {
  const m = machine();
  const out = [
    '# Reliability',
    '',
    `Written ${now.toISOString()} by \`npm run reliability\` from the figures the tests recorded in their last runs (\`npm test\`, \`npm run test:soak\`); each row names the command that reproduces it. Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}.`,
    '',
  ];
  for (const [section, title] of SECTIONS) {
    const rows = figures.filter((f) => f.section === section);
    out.push(`## ${title}`, '');
    if (rows.length === 0) {
      out.push('Not run: no figure recorded yet.', '');
      continue;
    }
    out.push('| what | figures | command | recorded |', '|---|---|---|---|');
    for (const f of rows) {
      const counts = Object.entries(f.counts)
        .map(([k, v]) => `${k}: **${v}**`)
        .join(', ');
      out.push(
        `| ${cell(f.what)} | ${cell(counts)} | \`${cell(f.command)}\` | ${f.at.slice(0, 16).replace('T', ' ')} |`,
      );
    }
    out.push('');
  }
  const other = figures.filter((f) => !SECTIONS.some(([s]) => s === f.section));
  if (other.length > 0) out.push(`Figures in no known section: ${other.map((f) => f.id).join(', ')}.`, '');
  return out.join('\n');
};

if (import.meta.main) {
  const target = join(import.meta.dirname, '..', '..', 'RELIABILITY.md');
  writeFileSync(target, renderReliability(read()));
  console.log(`RELIABILITY.md written from ${FIGURES_FILE}`);
}
