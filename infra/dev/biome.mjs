#!/usr/bin/env node
/**
 * Runs Biome (formatter and linter) from the platform binary installed by npm ci.
 *
 * Why not the `@biomejs/biome` wrapper package: its optionalDependencies name every platform's
 * binary, and the registry these machines reach serves only the Linux ones, so `npm ci` fails on
 * the missing entries. package.json lists the Linux binaries as optionalDependencies instead
 * (npm installs the one that matches os/cpu); anywhere else this falls back to npx, which
 * resolves the right binary for that machine.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const VERSION = '2.6.8';
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

let binary;
try {
  binary = require.resolve(`@biomejs/cli-${process.platform}-${process.arch}/biome`);
} catch {
  binary = undefined;
}
const [command, commandArgs] = binary
  ? [binary, args]
  : ['npx', ['--yes', `@biomejs/biome@${VERSION}`, ...args]];
const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
