/**
 * `npm run lint:openapi`: builds the OpenAPI document from the code, exactly as GET /openapi.json
 * serves it (no server needed), writes it to node_modules/.cache/gonghui/openapi.json, and lints
 * it with Redocly CLI's recommended rules (redocly.yaml). It passes with 0 errors and 0 warnings,
 * nothing less: Redocly itself fails only on errors.
 *
 * Offline: telemetry and the update check are off (REDOCLY_TELEMETRY, REDOCLY_SUPPRESS_UPDATE_NOTICE,
 * and `telemetry: off` in redocly.yaml), and the linter runs with infra/dev/no-network.mjs
 * preloaded, which refuses any connection or name lookup and then fails the run, so a new
 * version that phones home is caught here instead of quietly reaching out from CI.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApiDocument } from '../../shared/http/openapi-document.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const REDOCLY = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const NO_NETWORK = pathToFileURL(join(ROOT, 'infra', 'dev', 'no-network.mjs')).href;

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location?: Array<{ pointer?: string }>;
}

export interface LintResult {
  file: string;
  exitCode: number | null;
  totals: { errors: number; warnings: number; ignored: number };
  problems: LintProblem[];
  /** What the linter wrote on stderr (progress lines; a refused network access is named here). */
  stderr: string;
}

export const lintOpenApi = async (file = join(ROOT, 'node_modules', '.cache', 'gonghui', 'openapi.json')) => {
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  const child = spawn(
    process.execPath,
    ['--import', NO_NETWORK, REDOCLY, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=json'],
    {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  let report: { totals: LintResult['totals']; problems: LintProblem[] };
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`Redocly CLI gave no report (exit ${exitCode}):\n${stderr}${stdout}`);
  }
  return { file, exitCode, totals: report.totals, problems: report.problems, stderr } satisfies LintResult;
};

/** Clean: Redocly exited 0 (no error, no refused network access) and found no warning either. */
export const isClean = (r: LintResult) =>
  r.exitCode === 0 && r.totals.errors === 0 && r.totals.warnings === 0;

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const result = await lintOpenApi();
  for (const p of result.problems) {
    const where = p.location?.map((l) => l.pointer).join(', ') ?? '';
    process.stdout.write(
      `${p.severity === 'error' ? 'error' : 'warning'}  ${p.ruleId}  ${where}\n  ${p.message}\n`,
    );
  }
  const { errors, warnings, ignored } = result.totals;
  process.stdout.write(
    `OpenAPI document ${result.file}: ${errors} errors, ${warnings} warnings, ${ignored} ignored (Redocly recommended rules, redocly.yaml)\n`,
  );
  if (!isClean(result)) {
    if (result.exitCode !== 0) process.stderr.write(result.stderr);
    process.exitCode = 1;
  }
}
