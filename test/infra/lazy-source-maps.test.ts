/**
 * A bundle built with the deploy's esbuild options maps its own stack traces
 * (shared/observability/lazy-source-maps.ts, injected by infra/bundling.ts): in a plain Node
 * without --enable-source-maps, loading it reads no source map, and the first stack printed names
 * the TypeScript file, line and function.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/aws/gonghui-stack.ts';
import { esbuildOptions } from '../../infra/bundling.ts';

let dir: string;
let bundle: string;

const FIXTURE = [
  "import { z } from 'zod';",
  'const Payload = z.object({ id: z.string() });',
  'export const handler = async (event: unknown) => checkPayload(event);',
  'function checkPayload(event: unknown) {',
  '  if (!Payload.safeParse(event).success) throw new TypeError(`bad payload`);',
  '  return true;',
  '}',
].join('\n');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gonghui-lazy-maps-'));
  bundle = join(dir, 'index.js');
  await build({
    absWorkingDir: PROJECT_ROOT,
    // The fixture as if it were a file of the project (zod resolves from its node_modules).
    stdin: { contents: FIXTURE, resolveDir: PROJECT_ROOT, sourcefile: 'fixture.ts', loader: 'ts' },
    outfile: bundle,
    ...esbuildOptions(),
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads the bundle as Lambda does, then fails an invocation; reports the map reads around each. */
const run = (nodeOptions = '') => {
  const script = `
    const fs = require('node:fs');
    const read = fs.readFileSync;
    let maps = 0;
    const map = ${JSON.stringify(`${bundle}.map`)};
    fs.readFileSync = (file, ...rest) => { if (String(file) === map) maps += 1; return read(file, ...rest); };
    const nodes = Error.prepareStackTrace;
    const { handler } = require(${JSON.stringify(bundle)});
    const atLoad = maps;
    const replaced = Error.prepareStackTrace !== nodes;
    handler({}).catch((error) => {
      const stack = error.stack;
      console.log(JSON.stringify({ atLoad, afterStack: maps, stack, replaced }));
    });`;
  const out = execFileSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, NODE_OPTIONS: nodeOptions },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { atLoad: number; afterStack: number; stack: string; replaced: boolean };
};

describe('lazy source maps', () => {
  it('reads no map when the bundle loads, and maps the first stack printed to the TypeScript source', () => {
    const { atLoad, afterStack, stack, replaced } = run();
    expect(replaced).toBe(true);
    expect(atLoad).toBe(0);
    expect(afterStack).toBe(1);
    const [first, top] = stack.split('\n');
    expect(first).toBe('TypeError: bad payload');
    // Line 5, column 48: the `throw`'s `new`, in the function that threw, named as in the source.
    expect(top).toBe(`    at checkPayload (${join(PROJECT_ROOT, 'fixture.ts')}:5:48)`);
  });

  it('steps aside when Node maps stacks itself (--enable-source-maps)', () => {
    // Node's own formatter left in place (not replaced by the bundle's), and it maps the frame.
    const { stack, replaced } = run('--enable-source-maps');
    expect(replaced).toBe(false);
    expect(stack).toContain('fixture.ts:5:48');
  });
});
