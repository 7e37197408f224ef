// Run the local X API v2 server by hand (demo, manual checks):
//   npx tsx electron/core/x/testing/serve.ts [--dir ../shared/linkset-dev/x] [--port 4010] [--token T]
//     [--client-id ID --refresh-token R]
// Then: X_TOKEN=T canary accounts add x --name Demo --oauth2-token-env X_TOKEN --api-base http://127.0.0.1:4010
import path from 'node:path';
import { smallData } from './fixtures';
import { startXServer } from './server';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = flag('dir');
const token = flag('token') ?? 'test-token';
const clientId = flag('client-id');
const refresh = flag('refresh-token');
const server = await startXServer({
  ...(dir ? { dir: path.resolve(dir) } : { data: smallData() }),
  accessTokens: [token],
  ...(clientId && refresh ? { oauth2: { clientId, refreshTokens: [refresh] } } : {}),
  port: Number(flag('port') ?? 4010),
});
process.stdout.write(`X API v2 test server on ${server.url} (token "${token}")${dir ? ` serving ${dir}` : ''}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
