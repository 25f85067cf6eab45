/**
 * Every function bundled as the AWS deploy bundles it (infra/bundling.ts, the options CDK's
 * NodejsFunction gets), into `<outDir>/<function>/index.cjs` with its source map: what runs
 * locally is what gets deployed.
 *
 * One esbuild call for all entries: they share most of their modules (the AWS SDK), and one
 * call parses each once (measured here: ~2 s for all eleven, against ~5 s for parallel calls).
 * A warm start skips the build when nothing it read has changed: `<outDir>/build.json` records
 * every input's size and mtime and the installed-packages lock, and a start compares them
 * (1,200 stats, ~15 ms). A fresh data directory copies the last build from a cache shared by all
 * of them (node_modules/.cache/gonghui-local/build) when that one is up to date.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { bundling, esbuildOptions } from '../bundling.ts';

export interface BundleEntry {
  name: string;
  /** The entry file, relative to `root`. */
  entry: string;
}

interface BuildRecord {
  signature: string;
  inputs: Record<string, [size: number, mtimeMs: number]>;
}

const outExtension = extname(bundling.outFile);
const outBase = basename(bundling.outFile, outExtension);

/** Where a function's bundle lands. */
export const bundlePath = (outDir: string, name: string): string => join(outDir, name, bundling.outFile);

/** What decides the output besides the sources: options, entries, esbuild and the installed packages. */
const signatureOf = (root: string, entries: readonly BundleEntry[]): string => {
  const hash = createHash('sha256').update(JSON.stringify({ bundling, entries, esbuildVersion }));
  for (const lock of ['package-lock.json', 'node_modules/.package-lock.json']) {
    const file = join(root, lock);
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex');
};

const stamp = (file: string): [number, number] | undefined => {
  try {
    const s = statSync(file);
    return [s.size, s.mtimeMs];
  } catch {
    return undefined;
  }
};

/** True when the bundles in `outDir` were built from exactly the files that are there now. */
export const bundlesUpToDate = (root: string, outDir: string, entries: readonly BundleEntry[]): boolean => {
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(join(outDir, 'build.json'), 'utf8')) as BuildRecord;
  } catch {
    return false;
  }
  if (record.signature !== signatureOf(root, entries)) return false;
  if (!entries.every((e) => existsSync(bundlePath(outDir, e.name)))) return false;
  return Object.entries(record.inputs).every(([file, [size, mtimeMs]]) => {
    const now = stamp(resolve(root, file));
    return now !== undefined && now[0] === size && now[1] === mtimeMs;
  });
};

/** Copies a build directory whole; false when it could not (another start replacing it meanwhile). */
const copyBuild = (from: string, to: string): boolean => {
  try {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true });
    return true;
  } catch {
    return false;
  }
};

/**
 * Builds (or reuses) every entry's bundle; resolves with each function's bundle path and how it
 * got there. `cacheDir`, shared by every data directory, spares a fresh one (each test run's) the
 * build: an up-to-date cache is copied instead (~30 MB, tens of milliseconds).
 */
export async function buildBundles(opts: {
  root: string;
  outDir: string;
  entries: readonly BundleEntry[];
  cacheDir?: string;
}): Promise<{ bundles: Record<string, string>; how: 'unchanged' | 'from cache' | 'built' }> {
  const { root, outDir, entries, cacheDir } = opts;
  const bundles = Object.fromEntries(entries.map((e) => [e.name, bundlePath(outDir, e.name)]));
  if (bundlesUpToDate(root, outDir, entries)) return { bundles, how: 'unchanged' };
  if (cacheDir && bundlesUpToDate(root, cacheDir, entries) && copyBuild(cacheDir, outDir)) {
    if (bundlesUpToDate(root, outDir, entries)) return { bundles, how: 'from cache' };
  }

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => ({ in: resolve(root, e.entry), out: join(e.name, outBase) })),
    outdir: outDir,
    outExtension: { '.js': outExtension },
    ...esbuildOptions(),
    metafile: true,
    logLevel: 'silent',
  });
  const inputs: BuildRecord['inputs'] = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const s = stamp(resolve(root, file));
    if (s) inputs[file] = s;
  }
  const record: BuildRecord = { signature: signatureOf(root, entries), inputs };
  writeFileSync(join(outDir, 'build.json'), JSON.stringify(record));
  if (cacheDir) {
    // Into a private directory first, then renamed into place: a reader never sees half a cache.
    const staging = `${cacheDir}.${process.pid}.${Date.now()}`;
    if (copyBuild(outDir, staging)) {
      rmSync(cacheDir, { recursive: true, force: true });
      try {
        renameSync(staging, cacheDir);
      } catch {
        rmSync(staging, { recursive: true, force: true });
      }
    }
  }
  return { bundles, how: 'built' };
}
