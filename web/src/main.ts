import { createApp } from 'vue';
import App from './app/App.vue';
import { areas } from './app/areas';
import { initAuth } from './app/auth/session';
import { loadConfig } from './app/config';
import { createAppI18n } from './app/i18n';
import { createAppRouter } from './app/router';
import './app/styles.css';

const start = async () => {
  const config = await loadConfig();
  await initAuth(config);
  const app = createApp(App);
  app.use(createAppI18n(areas));
  app.use(createAppRouter(areas));
  app.mount('#app');
};

start().catch((error: unknown) => {
  // Before Vue is up there is no page to show it on: a plain line, in both languages.
  const el = document.getElementById('app');
  if (el)
    el.textContent = `无法启动 / The app could not start: ${error instanceof Error ? error.message : String(error)}`;
});
