/**
 * openapi-typescript and vue-tsc call TypeScript's JavaScript API, which TypeScript 7 (the
 * project's `tsc`, the native compiler) does not have. Both get TypeScript 5.9 instead, installed
 * beside it as `typescript5` (npm alias): this hook resolves their `typescript` imports there.
 * Everything else keeps TypeScript 7. Node 24's synchronous hooks cover require() and import alike.
 */
import { registerHooks } from 'node:module';

const TOOLS =
  /[\\/]node_modules[\\/](openapi-typescript|vue-tsc|@vue[\\/]language-core|@volar[\\/][^\\/]+)[\\/]/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (
      (specifier === 'typescript' || specifier.startsWith('typescript/')) &&
      TOOLS.test(context.parentURL ?? '')
    ) {
      return nextResolve(specifier.replace(/^typescript/, 'typescript5'), context);
    }
    return nextResolve(specifier, context);
  },
});
