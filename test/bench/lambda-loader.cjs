'use strict';
/**
 * Loads a handler as Lambda's Node.js runtime does (aws-lambda-nodejs-runtime-interface-client,
 * UserFunction.js) with `_HANDLER=index.handler` in LAMBDA_TASK_ROOT: `index.js` is required,
 * unless a package.json above it says "type": "module" (then imported); `index.mjs` is
 * imported, `index.cjs` required. Prints how long the load itself took and the CPU it used (ms,
 * JSON). Used by the init benchmark (function-init.ts), once per fresh process.
 */
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const started = performance.now();
const cpu = process.cpuUsage();
const root = process.env.LAMBDA_TASK_ROOT;
const [moduleName, handlerName] = process.env._HANDLER.split('.');

const typeModule = (dir) => {
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, 'package.json');
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(d) === d) return false;
  }
};

const load = async () => {
  const base = join(root, moduleName);
  if (existsSync(`${base}.js`))
    return typeModule(root) ? import(pathToFileURL(`${base}.js`).href) : require(`${base}.js`);
  if (existsSync(`${base}.mjs`)) return import(pathToFileURL(`${base}.mjs`).href);
  return require(`${base}.cjs`);
};

load().then((m) => {
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (typeof m[handlerName] !== 'function') process.exit(3);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000 }));
});
