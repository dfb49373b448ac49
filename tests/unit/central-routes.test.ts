/**
 * Routes registered from the API contract (central/src/routes.ts), on a real fastify instance: the contract's
 * method, path and admin check are applied, and a route outside the contract cannot be registered.
 */
/* eslint-disable no-restricted-syntax -- paths outside the contract, on purpose */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { contractRoutes, enforceContract } from '../../central/src/routes';
import { pathFor } from '../../shared/sync/api-contract';

const apps: FastifyInstance[] = [];
function newApp(): FastifyInstance {
  const app: FastifyInstance = Fastify();
  apps.push(app);
  enforceContract(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const requireAdmin = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  if (request.headers.authorization !== 'Bearer admin') await reply.code(401).send({ error: 'ADMIN_UNAUTHENTICATED', details: {} });
};

describe('contractRoutes', () => {
  it('registers the contract path and method, typed parameters, and the admin check before an admin handler', async () => {
    const app = newApp();
    const route = contractRoutes({ requireAdmin });
    route(app, 'dossierFile', (request) => Promise.resolve({ id: request.params.id, sha256: request.params.sha256, routeId: request.routeOptions.config.routeId }));
    route(app, 'adminDevices', () => Promise.resolve({ devices: [] }));
    await app.ready();

    const file = await app.inject({ method: 'GET', url: pathFor('dossierFile', { id: 'd1', sha256: 'ab' }) });
    expect(file.json()).toEqual({ id: 'd1', sha256: 'ab', routeId: 'dossierFile' });
    expect((await app.inject({ method: 'PUT', url: pathFor('dossierFile', { id: 'd1', sha256: 'ab' }) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: pathFor('adminDevices') })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: pathFor('adminDevices'), headers: { authorization: 'Bearer admin' } })).json()).toEqual({ devices: [] });
  });
});

describe('enforceContract', () => {
  it('refuses a route without a contract entry', () => {
    const app = newApp();
    expect(() => app.get('/api/v1/something-new', () => ({}))).toThrow(/no entry in shared\/sync\/api-contract.ts/);
  });

  it('refuses a route whose method or path differs from its contract entry', () => {
    const app = newApp();
    expect(() => app.get('/api/v1/dossier/:id', { config: { routeId: 'dossier' } }, () => ({}))).toThrow(/declares GET \/api\/v1\/dossiers\/:id/);
    expect(() => app.post('/api/v1/dossiers/:id', { config: { routeId: 'dossier' } }, () => ({}))).toThrow(/declares GET/);
  });

  it('holds inside plugin scopes too', async () => {
    const app = newApp();
    let refused: unknown;
    await app.register((scope, _options, done) => {
      try {
        scope.put('/api/v1/hidden', () => ({}));
      } catch (err) {
        refused = err;
      }
      done();
    });
    expect(String(refused)).toMatch(/no entry/);
  });
});
