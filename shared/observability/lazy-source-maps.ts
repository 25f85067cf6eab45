/**
 * Stack traces that name our TypeScript files and lines, paid for only when one is printed.
 *
 * Node's --enable-source-maps reads and parses a bundle's source map when the bundle loads: 10 to
 * 25 ms of every cold start (BENCHMARKS.md, init: "with Node's --enable-source-maps"), for stack traces most
 * invocations never print. This module, injected at the top of every bundle (infra/bundling.ts),
 * formats stacks itself instead: the first time an error's `stack` is read, it reads the map
 * beside the bundle (`index.js.map`, as CDK uploads it) with Node's own parser (node:module
 * SourceMap), and maps each frame. Where Node's flag is on anyway (a developer's NODE_OPTIONS), it
 * steps aside.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type CallSite = NodeJS.CallSite;

const maps = new Map<string, SourceMap | null>();

/** The map beside a bundle, parsed once; null when it has none (Node's own files, tests' sources). */
const mapOf = (file: string): SourceMap | null => {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
};

interface Origin {
  file: string;
  line: number;
  column: number;
  /** The identifier at this position in the source: at a call, the name of the function called. */
  name?: string;
}

const originOf = (site: CallSite): Origin | undefined => {
  const raw = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!raw || !line || !column || raw.startsWith('node:')) return undefined;
  const file = raw.startsWith('file://') ? fileURLToPath(raw) : raw;
  const origin = mapOf(file)?.findOrigin(line, column);
  if (!origin || !('fileName' in origin)) return undefined;
  return {
    // As Node prints it: the source's path resolved from the map's directory.
    file: resolve(dirname(file), origin.fileName),
    line: origin.lineNumber,
    column: origin.columnNumber,
    ...(origin.name ? { name: origin.name } : {}),
  };
};

/** One frame; `callerName` is the name its caller's call site gives it (minified names say nothing). */
const formatFrame = (site: CallSite, origin: Origin | undefined, callerName: string | undefined): string => {
  if (!origin) return String(site);
  const name = callerName ?? site.getFunctionName() ?? undefined;
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  const where = `${origin.file}:${origin.line}:${origin.column}`;
  return name ? `${prefix}${name} (${where})` : `${prefix}${where}`;
};

const header = (error: unknown): string => {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
};

const prepareStackTrace = (error: unknown, sites: CallSite[]): string => {
  try {
    // Each frame mapped once: a frame's origin also names the frame above it (as Node does).
    const origins = sites.map((site) => originOf(site));
    return [
      header(error),
      ...sites.map((site, i) => `    at ${formatFrame(site, origins[i], origins[i + 1]?.name)}`),
    ].join('\n');
  } catch {
    // Never lose the error for its stack: the frames as V8 prints them.
    return [header(error), ...sites.map((site) => `    at ${String(site)}`)].join('\n');
  }
};

// Node has a default of its own here (which --enable-source-maps would make map): replaced.
if (!process.sourceMapsEnabled) Error.prepareStackTrace = prepareStackTrace;
