/**
 * How a function is bundled, for both runtimes: CDK's NodejsFunction gets these options, the
 * embedded runtime and the benchmark call esbuild with the same ones, so what runs locally is
 * what gets deployed.
 *
 * The source is ESM; the bundle is CommonJS. Measured here (BENCHMARKS.md): an ESM bundle costs
 * ~30 ms more at cold start, because Node builds an ES-module facade for every built-in the AWS
 * SDK imports, and the one for `node:http` loads Node's whole fetch implementation (undici).
 */
import type { BuildOptions } from 'esbuild';

export const bundling = {
  format: 'cjs',
  /** The file name of a built bundle: `.cjs` so Node reads it as CommonJS whatever package.json says. */
  outFile: 'index.cjs',
  platform: 'node',
  target: 'node24',
  minify: true,
  sourcemap: true,
  /**
   * The map holds mappings and file names, not the sources: a stack trace needs no more, and a
   * third of the size is a third of what Node reads and parses at every cold start
   * (BENCHMARKS.md, init: with and without source maps).
   */
  sourcesContent: false,
  /**
   * Injected at the top of every bundle: it maps a stack trace through the bundle's source map
   * when one is printed, so the logs name our files and lines. Not NODE_OPTIONS=--enable-source-maps,
   * which parses the map at every cold start whether a stack is printed or not (the module says
   * why, BENCHMARKS.md, init, measures it). Relative to the project root, where esbuild runs.
   */
  inject: ['./shared/observability/lazy-source-maps.ts'],
  /**
   * Modules swapped when bundling, path relative to the project root: the SDK's default credential
   * chain for the environment's credentials alone (shared/adapters/lambda-credentials.ts says why).
   */
  alias: { '@aws-sdk/credential-provider-node': './shared/adapters/lambda-credentials.ts' },
  banner: '',
  /**
   * The mail transport a deployment's bundles are built for (an esbuild `define` the stack sets
   * from its setting): send-email's code for the other transport is then dead code that esbuild
   * leaves out, so an ses deployment (the default) carries no nodemailer (BENCHMARKS.md, init).
   * The key is written out, as `define` needs it, in shared/config/mail-deps.ts. Unbundled code and
   * the embedded runtime's bundles, which serve either transport by a setting, leave it unset.
   */
  bundledMailTransport: 'process.env.GONGHUI_BUNDLED_MAIL_TRANSPORT',
  mainFields: ['module', 'main'],
} as const;

/**
 * The options above in esbuild's own terms, for every esbuild call outside CDK: the embedded
 * runtime's bundles (infra/local/bundles.ts) and tests that bundle as the deploy does. CDK's
 * NodejsFunction takes the same values under its own names (infra/aws/gonghui-function.ts).
 */
export const esbuildOptions = (): BuildOptions => ({
  bundle: true,
  format: bundling.format,
  platform: bundling.platform,
  target: bundling.target,
  minify: bundling.minify,
  sourcemap: bundling.sourcemap,
  sourcesContent: bundling.sourcesContent,
  mainFields: [...bundling.mainFields],
  alias: { ...bundling.alias },
  inject: [...bundling.inject],
  ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
});
