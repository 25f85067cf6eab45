/** `vue-tsc` on TypeScript 5.9 (see typescript5.mjs): type-checks web/, .vue files included. */
import './typescript5.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('vue-tsc').run(require.resolve('typescript5/lib/tsc'));
