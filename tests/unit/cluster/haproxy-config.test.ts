/**
 * The cluster test's HAProxy configuration (tests/cluster/support/haproxy.ts): what it must route where. HAProxy
 * itself parses it in the cluster test (`npm run test:cluster`); here, the decisions it encodes.
 */
import { describe, expect, it } from 'vitest';
import { haproxyConfig, type HaproxyLayout } from '../../cluster/support/haproxy';

const layout: HaproxyLayout = {
  balancerPort: 55480,
  centrals: [
    { name: 'c1', port: 55481 },
    { name: 'c2', port: 55482 },
  ],
  pgNodes: [
    { name: 'pg1', port: 55442, checkPort: 55462 },
    { name: 'pg2', port: 55443, checkPort: 55463 },
  ],
  pgRoutes: [
    { name: 'shared', port: 55440 },
    { name: 'c1', port: 55451 },
  ],
  statsSocket: '/tmp/x/haproxy.sock',
};

/** The lines of one section (`frontend`, `backend` or `listen` NAME) of the configuration. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no section ${header}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line !== '' && !line.startsWith(' '));
  return (end < 0 ? rest : rest.slice(0, end)).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
}

describe('haproxyConfig', () => {
  const config = haproxyConfig(layout);

  it('balances the counters round-robin over every central, health-checked on readiness (database and bucket)', () => {
    expect(section(config, 'frontend counters')).toContain('bind 127.0.0.1:55480');
    const centrals = section(config, 'backend centrals');
    expect(centrals).toContain('balance roundrobin');
    expect(centrals).toContain('option httpchk GET /api/v1/ready');
    expect(centrals).toContain('server c1 127.0.0.1:55481 check');
    expect(centrals).toContain('server c2 127.0.0.1:55482 check');
    expect(centrals.some((line) => /^(stick|hash-type|balance (source|hdr))/.test(line))).toBe(false);
  });

  it('binds the counters a second time inside the fault campaign\'s namespace only when asked, on the same port', () => {
    expect(config).not.toContain('namespace');
    const linked = section(haproxyConfig({ ...layout, counterLink: { address: '10.201.3.6', namespace: 'mfk-abc123' } }), 'frontend counters');
    expect(linked).toEqual(expect.arrayContaining(['bind 127.0.0.1:55480', 'bind 10.201.3.6:55480 namespace mfk-abc123']));
  });

  it('routes each PostgreSQL route to the node whose role check says primary; the standby only as a backup', () => {
    for (const [name, port] of [
      ['pg_shared', 55440],
      ['pg_c1', 55451],
    ] as const) {
      const route = section(config, `listen ${name}`);
      expect(route).toContain('mode tcp');
      expect(route).toContain(`bind 127.0.0.1:${port}`);
      expect(route).toContain('option httpchk GET /primary');
      expect(route.find((line) => line.startsWith('default-server'))).toContain('on-marked-down shutdown-sessions');
      expect(route).toContain('server pg1 127.0.0.1:55442 check port 55462');
      expect(route).toContain('server pg2 127.0.0.1:55443 check port 55463 backup');
    }
  });

  it('opens the runtime API (server states, cutting one central off) on the given socket only', () => {
    expect(section(config, 'global')).toContain('stats socket /tmp/x/haproxy.sock mode 600 level admin');
  });
});
