import { it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startPasswordServer } from './password-server.js';

it('probe', async () => {
  const s = await startPasswordServer();
  const pw = 'p@ss:w/rd%-Canary';
  const url = `postgres://forensics:${encodeURIComponent(pw)}@127.0.0.1:${s.port}/prod?default_transaction_read_only=off&application_name=mine`;
  const r = await runCli(['active', '--source', 'postgres', '--as-of', '2025-10-17T14:00:00Z'], { DATABASE_URL: url });
  console.log(r.code, JSON.stringify(r.stderr), s.startups, s.passwords);
  const u2 = `http://someone:${encodeURIComponent('sb-url-Canary-pw')}@127.0.0.1:1`;
  const r2 = await runCli(['active', '--source', 'supabase', '--timeout', '2', '--as-of', '2025-10-17T14:00:00Z'], { SUPABASE_URL: u2, SUPABASE_SERVICE_ROLE_KEY: 'sb_secret_abcdefghijkl' });
  console.log(r2.code, JSON.stringify(r2.stderr));
  await s.close();
});
