/**
 * How a function is bundled, for both runtimes: CDK's NodejsFunction gets these options, the
 * embedded runtime and the benchmark call esbuild with the same ones, so what runs locally is
 * what gets deployed.
 */
export const bundling = {
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  sourcemap: true,
  // ESM output still meets CommonJS dependencies that call require(): give them one.
  banner: "import { createRequire as __gonghuiCreateRequire } from 'node:module'; const require = __gonghuiCreateRequire(import.meta.url);",
  mainFields: ['module', 'main'],
} as const;
