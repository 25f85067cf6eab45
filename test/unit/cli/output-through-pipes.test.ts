/**
 * Output through a pipe arrives whole: the CLI used to call process.exit with output still
 * queued, and a pipe took only its 64 KiB buffer of it. Errors (stderr) and --help here, in a
 * process of their own; the 2,000-member `members list --json` is in test/e2e/cli-pipes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { gonghuiThroughPipes } from '../../support/cli-pipe.ts';

describe('the gonghui command through pipes', () => {
  // An unknown command is echoed in the error, with the usage after it: ~150 KiB on stderr.
  const long = 'x'.repeat(120 * 1024);

  it.each([
    ['a fast reader', 0],
    ['a slow reader', 150],
  ])('delivers a 120 KiB error on stderr whole to %s, and exits 2', async (_, pauseMs) => {
    const run = await gonghuiThroughPipes([long], { pauseMs });
    const text = run.stderr.toString('utf8');
    expect(run.code).toBe(2);
    expect(run.stderr.length).toBeGreaterThan(120 * 1024);
    expect(text.startsWith(`gonghui: unknown command: ${long}`)).toBe(true);
    // The usage that follows the echoed command is there to its last line.
    expect(text.trimEnd().endsWith('selects the local runtime.')).toBe(true);
  });

  it('delivers --help whole to a slow reader, and exits 0', async () => {
    const run = await gonghuiThroughPipes(['--help'], { pauseMs: 100 });
    expect(run.code).toBe(0);
    const text = run.stdout.toString('utf8');
    expect(text.startsWith('gonghui — 工会 Gonghui command line')).toBe(true);
    expect(text.trimEnd().endsWith('selects the local runtime.')).toBe(true);
  });
});
