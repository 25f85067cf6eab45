/**
 * Cold starts of what deploys. `cdk synth -o DIR` bundles every function as the deploy does;
 * each function's asset (`asset.<hash>/index.js`, its source map beside it as uploaded) is then loaded
 * the way Lambda's Node.js runtime loads a handler (lambda-loader.cjs), in a fresh Node with the
 * function's environment from the synthesized template (NODE_OPTIONS included) and the variables
 * Lambda sets, RUNS times interleaved with an empty module loaded the same way. The median
 * difference is the function's init over bare Node.
 *
 * Beside it: the same without source maps (what they cost), and the AWS SDK's share: an asset
 * holding only the SDK clients the function's access implies, bundled with the deploy's options.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pascal } from '../../infra/aws/gonghui-stack.ts';
import { buildBundles } from '../../infra/local/bundles.ts';
import {
  type Access,
  type FunctionName,
  functionNames,
  functions,
  lambdaDefaults,
} from '../../infra/topology.ts';
import { median } from './machine.ts';

const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 7);
const LIMIT_MS = 80;
const MOONSHOT_MS = 50;
const REGION = 'ap-east-1';
const ACCOUNT = '123456789012';

interface Template {
  Resources: Record<
    string,
    {
      Type: string;
      Metadata?: Record<string, unknown>;
      Properties?: {
        Handler?: string;
        MemorySize?: number;
        Runtime?: string;
        Environment?: { Variables?: Record<string, unknown> };
      };
    }
  >;
}

/** A template value as the deployed function would see it: references become plausible names. */
const resolveValue = (template: Template, value: unknown): string => {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: string }).Ref;
  if (ref) {
    const type = template.Resources[ref]?.Type;
    if (type === 'AWS::SQS::Queue') return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${ref}`;
    return ref;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} in a function's environment`);
};

interface Deployed {
  fn: FunctionName;
  assetDir: string;
  handler: string;
  env: Record<string, string>;
}

/** Every function of the synthesized template: its asset, handler and environment. */
const deployedFunctions = (outDir: string): Deployed[] => {
  const template = JSON.parse(readFileSync(join(outDir, 'Gonghui.template.json'), 'utf8')) as Template;
  const lambdas = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  return functionNames.map((fn) => {
    const r = lambdas.find((l) =>
      String(l.Metadata?.['aws:cdk:path'] ?? '').endsWith(`/${pascal(fn)}/Function/Resource`),
    );
    const asset = r?.Metadata?.['aws:asset:path'];
    if (!r || typeof asset !== 'string') throw new Error(`${fn}: no function with an asset in the template`);
    const variables = Object.fromEntries(
      Object.entries(r.Properties?.Environment?.Variables ?? {}).map(([k, v]) => [
        k,
        resolveValue(template, v),
      ]),
    );
    const assetDir = join(outDir, asset);
    return {
      fn,
      assetDir,
      handler: r.Properties?.Handler ?? 'index.handler',
      env: {
        ...lambdaEnvironment(fn, assetDir, r.Properties?.MemorySize ?? 128, r.Properties?.Handler),
        ...variables,
      },
    };
  });
};

/** The variables Lambda's runtime sets for every function (credentials are placeholders). */
const lambdaEnvironment = (
  fn: string,
  taskRoot: string,
  memoryMb: number,
  handler = 'index.handler',
): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
  AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  AWS_EXECUTION_ENV: `AWS_Lambda_${lambdaDefaults.runtime}`,
  AWS_LAMBDA_FUNCTION_NAME: `Gonghui-${pascal(fn)}`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/Gonghui-${pascal(fn)}`,
  AWS_LAMBDA_LOG_STREAM_NAME: 'bench',
  LAMBDA_TASK_ROOT: taskRoot,
  LAMBDA_RUNTIME_DIR: '/var/runtime',
  _HANDLER: handler,
});

/** Node 24 or whatever the runtime names: the bench refuses to measure another Node. */
const checkNode = () => {
  const wanted = /nodejs(\d+)/.exec(lambdaDefaults.runtime)?.[1];
  const major = process.versions.node.split('.')[0];
  if (wanted && major !== wanted)
    throw new Error(`init bench: Node ${process.versions.node} runs it, the functions run on Node ${wanted}`);
};

const synth = (outDir: string) => {
  const out = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', outDir], {
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`cdk synth failed: ${out.stderr.slice(-1500)}`);
};

/** The SDK clients a function's access implies, as aws-clients.ts makes them. */
const sdkClientsOf = (access: Access): string[] => [
  ...(access.table?.length ? ['dynamoDocumentClient'] : []),
  ...(access.putEvents ? ['eventBridgeClient'] : []),
  ...(access.sendEmail ? ['sesClient'] : []),
  ...(access.sendTo?.length ? ['sqsClient'] : []),
];

/** One asset per distinct set of clients, holding those clients and nothing else. */
const buildSdkProbes = async (workDir: string) => {
  const sets = new Map<string, string[]>();
  for (const fn of functionNames) {
    const clients = sdkClientsOf(functions[fn].access);
    if (clients.length) sets.set(`sdk-${clients.join('-')}`, clients);
  }
  const srcDir = join(workDir, 'sdk-probes');
  mkdirSync(srcDir, { recursive: true });
  const clientsModule = resolve('shared/adapters/aws-clients.ts');
  const entries = [...sets].map(([name, clients]) => {
    const entry = join(srcDir, `${name}.ts`);
    writeFileSync(
      entry,
      `import { ${clients.join(', ')} } from '${clientsModule}';\nexport const clients = [${clients.map((c) => `${c}()`).join(', ')}];\nexport const handler = async () => clients.length;\n`,
    );
    return { name, entry };
  });
  const { bundles } = await buildBundles({
    root: process.cwd(),
    outDir: join(workDir, 'sdk-bundles'),
    entries,
  });
  return { bundles, nameOf: (fn: FunctionName) => `sdk-${sdkClientsOf(functions[fn].access).join('-')}` };
};

interface Timing {
  /** Process wall time, median (ms). */
  processMs: number;
  /** The load alone, inside the process, median (ms). */
  loadMs: number;
  /** The CPU the load used (ms): steadier than its wall time on a shared machine. */
  cpuMs: number;
}

export const benchFunctionInit = async (workDir: string) => {
  checkNode();
  const outDir = join(workDir, 'cdk.out');
  const synthStarted = Date.now();
  synth(outDir);
  const synthSeconds = (Date.now() - synthStarted) / 1000;
  const deployed = deployedFunctions(outDir);
  const probes = await buildSdkProbes(workDir);

  const loader = join(import.meta.dirname, 'lambda-loader.cjs');
  const emptyDir = join(workDir, 'empty');
  mkdirSync(emptyDir, { recursive: true });
  writeFileSync(join(emptyDir, 'index.js'), 'exports.handler = async () => {};\n');

  const once = (env: Record<string, string>): [number, number, number] => {
    const started = process.hrtime.bigint();
    const out = spawnSync(process.execPath, [loader], { env, encoding: 'utf8' });
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    if (out.status !== 0)
      throw new Error(`${env.LAMBDA_TASK_ROOT}: exit ${out.status}: ${out.stderr.slice(-800)}`);
    const { ms, cpuMs } = JSON.parse(out.stdout) as { ms: number; cpuMs: number };
    return [wall, ms, cpuMs];
  };
  /** The module in `env` against the empty module in the same environment, interleaved. */
  const measure = (env: Record<string, string>, handler = env._HANDLER ?? 'index.handler') => {
    const moduleEnv = { ...env, _HANDLER: handler };
    const emptyEnv = { ...env, LAMBDA_TASK_ROOT: emptyDir, _HANDLER: 'index.handler' };
    once(moduleEnv); // warm the file cache
    const mod: Array<[number, number, number]> = [];
    const empty: Array<[number, number, number]> = [];
    for (let i = 0; i < RUNS; i++) {
      empty.push(once(emptyEnv));
      mod.push(once(moduleEnv));
    }
    const timing = (xs: Array<[number, number, number]>): Timing => ({
      processMs: median(xs.map((x) => x[0])),
      loadMs: median(xs.map((x) => x[1])),
      cpuMs: median(xs.map((x) => x[2])),
    });
    const [m, e] = [timing(mod), timing(empty)];
    return {
      overMs: m.processMs - e.processMs,
      loadOverMs: m.loadMs - e.loadMs,
      cpuOverMs: m.cpuMs - e.cpuMs,
      bareMs: e.processMs,
    };
  };
  // What the stack did before the bundles mapped their own stacks: Node's flag, which parses the
  // map at load (shared/observability/lazy-source-maps.ts).
  const withNodeSourceMaps = (env: Record<string, string>) => ({
    ...env,
    NODE_OPTIONS: '--enable-source-maps',
  });

  const rows = deployed.map((d) => {
    const asDeployed = measure(d.env);
    const nodeMaps = measure(withNodeSourceMaps(d.env));
    // The SDK clients alone, measured right after the function (the same minute of a shared machine).
    const probeBundle = probes.bundles[probes.nameOf(d.fn)];
    const sdk = probeBundle ? measure({ ...d.env, LAMBDA_TASK_ROOT: resolve(probeBundle, '..') }) : undefined;
    return {
      fn: d.fn,
      bytes: statSync(join(d.assetDir, 'index.js')).size,
      mapBytes: statSync(join(d.assetDir, 'index.js.map')).size,
      nodeOptions: d.env.NODE_OPTIONS ?? '',
      ...asDeployed,
      nodeMapsOverMs: nodeMaps.overMs,
      sdkMs: sdk?.overMs,
      sdkCpuMs: sdk?.cpuOverMs,
    };
  });

  const kib = (n: number) => (n / 1024).toFixed(0);
  const table = [
    `| function | index.js (KiB) | index.js.map (KiB) | init over bare Node, as deployed (ms) | the load alone, in-process (ms) | its CPU (ms) | with Node's --enable-source-maps (ms) | SDK clients alone (ms) | SDK share (of the CPU) | ≤ ${LIMIT_MS} ms | ≤ ${MOONSHOT_MS} ms |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|',
    ...rows.map(
      (r) =>
        `| ${r.fn} | ${kib(r.bytes)} | ${kib(r.mapBytes)} | **${r.overMs.toFixed(1)}** | ${r.loadOverMs.toFixed(1)} | ${r.cpuOverMs.toFixed(1)} | ${r.nodeMapsOverMs.toFixed(1)} | ${r.sdkMs === undefined ? '–' : r.sdkMs.toFixed(1)} | ${r.sdkCpuMs === undefined ? '–' : `${Math.round((100 * r.sdkCpuMs) / r.cpuOverMs)}%`} | ${r.overMs <= LIMIT_MS ? 'yes' : '**no**'} | ${r.overMs <= MOONSHOT_MS ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
  const bare = median(rows.map((r) => r.bareMs));
  const worst = rows.reduce((a, b) => (b.overMs > a.overMs ? b : a));
  const options = [...new Set(rows.map((r) => r.nodeOptions || '(none)'))].join(', ');
  const body = [
    `\`cdk synth -o DIR\` (${synthSeconds.toFixed(0)} s), then each function's \`asset.<hash>/index.js\` (its \`index.js.map\` beside it, as uploaded) loaded as Lambda's Node.js runtime loads \`index.handler\` (required as CommonJS: no package.json says \`"type": "module"\`), in a fresh Node ${process.versions.node} with the function's environment from the template (NODE_OPTIONS: ${options}) and Lambda's own variables; ${RUNS} runs each, interleaved with an empty module loaded the same way, medians. Bare Node with the empty module: ${bare.toFixed(1)} ms (process start to exit).`,
    '',
    table,
    '',
    `"As deployed" is the process's wall time with the asset minus with the empty module; "the load alone" is the same difference timed inside the process around the require, and "its CPU" the CPU time the require used (on a loaded machine the wall times grow, the CPU much less). "With Node's --enable-source-maps": the same asset with NODE_OPTIONS=--enable-source-maps, as the stack set it before the bundles mapped their stack traces themselves, on demand (shared/observability/lazy-source-maps.ts): Node then parses the map at load. "SDK clients alone": an asset holding only the AWS SDK clients the function's access implies (shared/adapters/aws-clients.ts, DynamoDB through the document client), bundled with the deploy's esbuild options and measured the same way right after the function; its share is of the load's CPU time. Slowest: ${worst.fn}, ${worst.overMs.toFixed(1)} ms.`,
  ].join('\n');
  return {
    title: 'Function cold starts, measured on the synthesized assets',
    body,
    ok: rows.every((r) => r.overMs <= LIMIT_MS),
    figures: Object.fromEntries(
      rows.map((r) => [
        r.fn,
        {
          initOverBareMs: r.overMs,
          initCpuMs: r.cpuOverMs,
          withNodeSourceMapsMs: r.nodeMapsOverMs,
          sdkMs: r.sdkMs,
          sdkCpuMs: r.sdkCpuMs,
        },
      ]),
    ),
  };
};
