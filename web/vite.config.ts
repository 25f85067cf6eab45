/**
 * The web app's build. Element Plus components are imported on demand (the resolver adds each
 * component and its CSS where a template uses it), so a page pays only for what it shows; every
 * page is its own chunk (route-level splitting in each area's area.ts).
 */
import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // WeChat's browser (a recent Chromium on Android, WebKit on iOS) runs ES2020.
    chunkSizeWarningLimit: 400,
    reportCompressedSize: false,
  },
  server: {
    // `npm run web:dev`: hot reload against a running `npm start` on the same origin paths.
    proxy: {
      '/api': process.env.GONGHUI_API ?? 'http://127.0.0.1:3000',
      '/oidc': process.env.GONGHUI_API ?? 'http://127.0.0.1:3000',
      '/dev': process.env.GONGHUI_API ?? 'http://127.0.0.1:3000',
      '/config.json': process.env.GONGHUI_API ?? 'http://127.0.0.1:3000',
    },
  },
});
