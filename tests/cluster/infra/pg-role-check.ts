/**
 * Which PostgreSQL node is the primary, answered over HTTP for HAProxy's health check — what Patroni's REST API
 * does in production (`GET :8008/primary` → 200 on the leader, 503 elsewhere; HAProxy: `option httpchk GET
 * /primary`, `server … check port 8008`). Here there is no Patroni (no etcd, no automatic promotion: the fail-over
 * scenario promotes the standby itself), so this small check asks the node: `SELECT pg_is_in_recovery()`.
 *
 *   tsx pg-role-check.ts --node <check port>=<PostgreSQL port> [--node …]
 *
 * GET /primary: 200 when the node answers and is not in recovery; 503 when it is a standby or does not answer
 * within a second. A new connection per check (HAProxy asks every 500 ms): no state to go stale after a crash.
 * Only a node's own answer decides, so two nodes that both claim to be primary (an old primary restarted after a
 * promotion) would both be "up" — Patroni's leader key in etcd is what prevents that in production; the test
 * never restarts the old primary.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { node: { type: 'string', multiple: true } } });
const nodes = (values.node ?? []).map((spec) => {
  const match = /^(\d+)=(\d+)$/.exec(spec);
  if (!match) throw new Error(`--node wants <check port>=<PostgreSQL port>, got ${spec}`);
  return { checkPort: Number(match[1]), pgPort: Number(match[2]) };
});
if (nodes.length === 0) throw new Error('at least one --node <check port>=<PostgreSQL port>');

async function role(pgPort: number): Promise<'primary' | 'standby' | 'unreachable'> {
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'motcua', password: 'motcua', database: 'motcua', connectionTimeoutMillis: 1_000, query_timeout: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const answer = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    return answer.rows[0]?.standby ? 'standby' : 'primary';
  } catch {
    return 'unreachable';
  } finally {
    await client.end().catch(() => undefined);
  }
}

for (const node of nodes) {
  createServer((request, response) => {
    void role(node.pgPort).then((found) => {
      const wanted = request.url === '/replica' ? 'standby' : 'primary';
      response.writeHead(found === wanted ? 200 : 503, { 'content-type': 'text/plain' }).end(`${found}\n`);
    });
  }).listen(node.checkPort, '127.0.0.1');
  console.log(`pg-role-check: 127.0.0.1:${node.checkPort} answers for PostgreSQL on 127.0.0.1:${node.pgPort}`);
}
