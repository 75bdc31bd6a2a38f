import { loadConfig, runMain } from '@miroir/config';
import { createApiApp } from './bootstrap';

runMain('miroir-api', async () => {
  const loaded = loadConfig();
  const app = await createApiApp(loaded);
  await app.listen({ host: loaded.config.server.host, port: loaded.config.server.port });
});
