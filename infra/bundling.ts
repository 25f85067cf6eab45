/**
 * How a function is bundled, for both runtimes: CDK's NodejsFunction gets these options, the
 * embedded runtime and the benchmark call esbuild with the same ones, so what runs locally is
 * what gets deployed.
 *
 * The source is ESM; the bundle is CommonJS. Measured here (BENCHMARKS.md): an ESM bundle costs
 * ~30 ms more at cold start, because Node builds an ES-module facade for every built-in the AWS
 * SDK imports, and the one for `node:http` loads Node's whole fetch implementation (undici).
 */
export const bundling = {
  format: 'cjs',
  /** The file name of a built bundle: `.cjs` so Node reads it as CommonJS whatever package.json says. */
  outFile: 'index.cjs',
  platform: 'node',
  target: 'node24',
  minify: true,
  sourcemap: true,
  banner: '',
  mainFields: ['module', 'main'],
} as const;
