/**
 * Issue 19: the cluster settings' rules (central/src/cluster/settings.ts) and the readiness probe's handling of a
 * check that hangs (central/src/cluster/readiness.ts) — the parts a real process test cannot make happen on demand.
 */
import { describe, expect, it } from 'vitest';
import { ReadinessProbe } from '../../central/src/cluster/readiness';
import { parsePublicUrl, publicLink, resolveClusterSettings, type ClusterInput } from '../../central/src/cluster/settings';
import { pathFor } from '../../shared/sync/api-contract';

const complete: ClusterInput = {
  cluster: true,
  databaseUrl: 'postgres://motcua@db/motcua',
  storage: 's3',
  adminTokenFromEnvironment: true,
  adminTokenFile: undefined,
  publicUrl: 'https://motcua.example.gov.vn/',
  instanceName: 'c1',
};

describe('cluster settings', () => {
  it('accepts a complete cluster configuration, the public URL without its trailing slash', () => {
    expect(resolveClusterSettings(complete)).toEqual({ ok: true, instanceName: 'c1', cluster: { instanceName: 'c1', publicUrl: 'https://motcua.example.gov.vn' } });
    // An admin token file does as well as the environment.
    expect(resolveClusterSettings({ ...complete, adminTokenFromEnvironment: false, adminTokenFile: '/etc/motcua/admin-token' }).ok).toBe(true);
  });

  it('names every missing piece at once', () => {
    const result = resolveClusterSettings({ ...complete, databaseUrl: undefined, storage: 'disk', adminTokenFromEnvironment: false, publicUrl: undefined });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toEqual([
      'CENTRAL_CLUSTER_DATABASE_REQUIRED',
      'CENTRAL_CLUSTER_S3_REQUIRED',
      'CENTRAL_CLUSTER_ADMIN_TOKEN_REQUIRED',
      'CENTRAL_CLUSTER_PUBLIC_URL_REQUIRED',
    ]);
  });

  it('without --cluster needs nothing more, names the instance <hostname>-<pid> by default, and refuses a public URL', () => {
    const single = resolveClusterSettings({ ...complete, cluster: false, databaseUrl: undefined, storage: 'disk', publicUrl: undefined, instanceName: undefined });
    expect(single.ok && single.cluster).toBe(undefined);
    expect(single.ok && single.instanceName).toMatch(new RegExp(`-${process.pid}$`));
    const withUrl = resolveClusterSettings({ ...complete, cluster: false });
    expect(!withUrl.ok && withUrl.problems.map((p) => p.code)).toEqual(['CENTRAL_PUBLIC_URL_WITHOUT_CLUSTER']);
    const badName = resolveClusterSettings({ ...complete, instanceName: 'c 1/..' });
    expect(!badName.ok && badName.problems.map((p) => p.code)).toEqual(['CENTRAL_INSTANCE_NAME_INVALID']);
  });

  it('takes an https public URL (a path prefix kept), plain http only on loopback', () => {
    expect(parsePublicUrl('https://motcua.example.gov.vn/trung-tam/')).toBe('https://motcua.example.gov.vn/trung-tam');
    expect(parsePublicUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parsePublicUrl('http://localhost:8080/')).toBe('http://localhost:8080');
    for (const bad of ['http://motcua.example.gov.vn', 'ftp://x.example', 'https://user:pw@x.example', 'https://x.example/?a=1', 'https://x.example/#top', 'motcua.example.gov.vn']) {
      expect(() => parsePublicUrl(bad), bad).toThrow('CENTRAL_PUBLIC_URL_INVALID');
    }
    const file = pathFor('dossierFile', { id: 'x', sha256: 'y' });
    expect(publicLink('https://motcua.example.gov.vn/trung-tam', file)).toBe(`https://motcua.example.gov.vn/trung-tam${file}`);
  });
});

describe('readiness probe', () => {
  const log = { warn: () => undefined };

  it('answers ready with both checks ok, and not-checked for a storage without a probe', async () => {
    const probe = new ReadinessProbe({ instance: 'c1', pingDatabase: () => Promise.resolve(), probeStorage: () => Promise.resolve(), log });
    expect(await probe.check()).toEqual({ ready: true, instance: 'c1', checks: { database: 'ok', storage: 'ok' } });
    const noProbe = new ReadinessProbe({ instance: 'c1', pingDatabase: () => Promise.resolve(), probeStorage: undefined, log });
    expect(await noProbe.check()).toEqual({ ready: true, instance: 'c1', checks: { database: 'ok', storage: 'not-checked' } });
  });

  it('names a failed storage, and a database that hangs: timeout, without a second query piling up behind it', async () => {
    const failingStorage = new ReadinessProbe({ instance: 'c1', pingDatabase: () => Promise.resolve(), probeStorage: () => Promise.reject(new Error('NoSuchBucket')), log });
    expect(await failingStorage.check()).toEqual({ ready: false, instance: 'c1', checks: { database: 'ok', storage: 'failed' } });

    let pings = 0;
    let answer: () => void = () => undefined;
    const hanging = new ReadinessProbe({
      instance: 'c1',
      pingDatabase: () => {
        pings += 1;
        return new Promise<void>((resolve) => (answer = resolve));
      },
      probeStorage: undefined,
      timeoutMs: 20,
      log,
    });
    expect((await hanging.check()).checks.database).toBe('timeout');
    // The first query still hangs: the next probe answers timeout without starting another.
    expect((await hanging.check()).checks.database).toBe('timeout');
    expect(pings).toBe(1);
    // Once it answers, the next probe queries again.
    answer();
    await new Promise((resolve) => setImmediate(resolve));
    const afterwards = hanging.check();
    answer();
    expect((await afterwards).checks.database).toBe('ok');
    expect(pings).toBe(2);
  });
});
