/**
 * Builds the web app into web/dist when its sources changed since the last build (a stamp of
 * their contents), so `npm start`, the e2e tests and `cdk synth` always serve or deploy what the
 * sources say, and an unchanged tree costs a few milliseconds. Vite builds into a fresh folder
 * that then replaces web/dist, so a reader never sees half a build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const WEB_ROOT = join(import.meta.dirname, '..');
export const WEB_DIST = join(WEB_ROOT, 'dist');
const PROJECT_ROOT = join(WEB_ROOT, '..');
const STAMP = '.build-stamp';

const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(WEB_ROOT, p));

const filesUnder = (path: string): string[] => {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    // Component tests sit beside nothing here (they live in test/web), but be safe.
    e.name.endsWith('.test.ts') ? [] : filesUnder(join(path, e.name)),
  );
};

/** A hash of every input's path and content, and of the lock file (a dependency changed). */
export const sourceStamp = (): string => {
  const hash = createHash('sha256');
  for (const file of [...INPUTS.flatMap(filesUnder), join(PROJECT_ROOT, 'package-lock.json')].sort()) {
    hash.update(relative(PROJECT_ROOT, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
};

export const isBuildFresh = (): boolean => {
  try {
    return readFileSync(join(WEB_DIST, STAMP), 'utf8') === sourceStamp();
  } catch {
    return false;
  }
};

let building: Promise<'fresh' | 'built'> | undefined;

/** Builds web/dist unless it is fresh; one build at a time per process. */
export const ensureWebBuilt = (log?: (line: string) => void): Promise<'fresh' | 'built'> => {
  building ??= (async () => {
    const stamp = sourceStamp();
    try {
      if (readFileSync(join(WEB_DIST, STAMP), 'utf8') === stamp) return 'fresh' as const;
    } catch {}
    const started = Date.now();
    const { build } = await import('vite');
    const outDir = join(WEB_ROOT, `.dist-${process.pid}-${Date.now()}`);
    try {
      await build({
        configFile: join(WEB_ROOT, 'vite.config.ts'),
        root: WEB_ROOT,
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true },
      });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(outDir, STAMP), stamp);
      rmSync(WEB_DIST, { recursive: true, force: true });
      renameSync(outDir, WEB_DIST);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
    log?.(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 'built' as const;
  })().finally(() => {
    building = undefined;
  });
  return building;
};

// `tsx web/tools/build.ts`: build now if stale (npm's postinstall, `npm run web:build`).
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const outcome = await ensureWebBuilt((line) => process.stdout.write(`${line}\n`));
  if (outcome === 'fresh') process.stdout.write('web app up to date\n');
}
