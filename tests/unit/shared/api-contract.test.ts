/** The central's API contract (shared/sync/api-contract.ts): one entry per route, and the typed path builder. */
/* eslint-disable no-restricted-syntax -- what pathFor must produce, written out */
import { describe, expect, it } from 'vitest';
import { adminPathPrefix, centralApi, centralRouteIds, pathFor, type CentralRouteId } from '../../../shared/sync/api-contract';

describe('centralApi', () => {
  it('declares each method and path once', () => {
    const keys = centralRouteIds.map((id) => `${centralApi[id].method} ${centralApi[id].path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts every admin route, and only those, under the back-office prefix the central serves without CORS', () => {
    for (const id of centralRouteIds) {
      const underPrefix = centralApi[id].path.startsWith(adminPathPrefix);
      expect(underPrefix, id).toBe(centralApi[id].auth === 'admin');
    }
  });

  it('gives every route a success answer and body schemas only to methods that carry a body', () => {
    for (const id of centralRouteIds) {
      const route: (typeof centralApi)[CentralRouteId] = centralApi[id];
      expect(route.answers[0].status, id).toBeLessThan(300);
      if ('body' in route || 'rawBody' in route) expect(['PUT', 'POST', 'PATCH'], id).toContain(route.method);
    }
  });
});

describe('pathFor', () => {
  it('fills the path parameters, percent-encoded', () => {
    expect(pathFor('health')).toBe('/api/v1/health');
    expect(pathFor('dossierFile', { id: 'a b/c', sha256: 'f'.repeat(64) })).toBe(`/api/v1/dossiers/a%20b%2Fc/files/${'f'.repeat(64)}`);
    expect(pathFor('counterEvent', { id: 'd', eventId: 'e?x' })).toBe('/api/v1/dossiers/d/events/e%3Fx');
    expect(pathFor('updateFile', { version: '1.2.3', name: 'motcua setup.exe' })).toBe('/api/v1/updates/files/1.2.3/motcua%20setup.exe');
  });

  it('refuses a missing parameter at run time too (a caller outside TypeScript)', () => {
    const untyped = pathFor as (id: string, params?: Record<string, string>) => string;
    expect(() => untyped('dossier', {})).toThrow(/parameter id missing/);
  });
});
