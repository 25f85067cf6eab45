/**
 * Figures for RELIABILITY.md. A test that proves something by counting (inputs tried, faults
 * injected, access cases checked, losses and duplicates observed) records the count here; after a
 * run, `npm run reliability` turns the newest figure of each id into the table in RELIABILITY.md.
 *
 * Figures are appended as JSON lines to `.reliability/figures.jsonl` (ignored by git), so test
 * files running in different workers never overwrite each other.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIGURES_DIR = join(import.meta.dirname, '..', '..', '.reliability');
export const FIGURES_FILE = join(FIGURES_DIR, 'figures.jsonl');

export interface Figure {
  /** Stable key: the newest figure with this id wins, e.g. `bad-input.proposals`. */
  id: string;
  /** Table section: 'faults' | 'bad input' | 'access' | 'aws' | 'logs'. */
  section: string;
  /** What was tried, in a few words: "malformed bodies on POST /proposals". */
  what: string;
  /** What was counted, e.g. { tried: 2000, '5xx': 0, 'partial writes': 0 }. */
  counts: Record<string, number>;
  /** The command that reproduces it, e.g. `npx vitest run test/e2e/bad-input.test.ts`. */
  command: string;
}

export const recordFigure = (figure: Figure): void => {
  mkdirSync(FIGURES_DIR, { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify({ ...figure, at: new Date().toISOString() })}\n`);
};
