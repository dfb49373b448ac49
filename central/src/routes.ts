/**
 * Routes registered from the API contract (shared/sync/api-contract.ts): a handler is given by route id, and the
 * method, path and credential check come from the contract. A route registered any other way, or whose method or
 * path differs from its contract entry, stops the central at start (`enforceContract`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, RouteGenericInterface } from 'fastify';
import { centralApi, uploadsPrefix, type CentralRouteId, type RouteParams } from '../../shared/sync/api-contract';

/** The tus catch-all (central/src/uploads.ts) serves the contract's four `servedBy: 'tus'` routes. */
export const tusRouteId = 'tus';
type RegisteredRouteId = CentralRouteId | typeof tusRouteId;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The contract entry this route serves: the error handler and the tests read it. */
    routeId?: RegisteredRouteId;
  }
}

type RequestOf<Id extends CentralRouteId, Extra extends Omit<RouteGenericInterface, 'Params'>> = FastifyRequest<{ Params: RouteParams<Id> } & Extra>;

interface ContractRouteOptions {
  /** Checks run before the handler, after the contract's credential check (rate limits). */
  readonly preHandler?: preHandlerAsyncHookHandler;
  readonly bodyLimit?: number;
}

/** `route(app, id, handler)`: registers `id` as the contract declares it on `app` (or a plugin scope of it). */
export type RouteRegistrar = <Id extends CentralRouteId, Extra extends Omit<RouteGenericInterface, 'Params'> = object>(
  app: FastifyInstance,
  id: Id,
  handler: (request: RequestOf<Id, Extra>, reply: FastifyReply) => Promise<unknown>,
  options?: ContractRouteOptions,
) => void;

export interface ContractAuth {
  /** The back office's token check (rate-limited by address): run before every `auth: 'admin'` handler. */
  readonly requireAdmin: preHandlerAsyncHookHandler;
}

export function contractRoutes(auth: ContractAuth): RouteRegistrar {
  return (app, id, handler, options = {}) => {
    const contract = centralApi[id];
    // Device credentials are checked by the handler itself (it needs the device record); the admin token here,
    // before anything else, so no handler can forget it.
    const preHandler = [...(contract.auth === 'admin' ? [auth.requireAdmin] : []), ...(options.preHandler ? [options.preHandler] : [])];
    app.route({
      method: contract.method,
      url: contract.path,
      config: { routeId: id },
      ...(preHandler.length ? { preHandler } : {}),
      ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
      handler: handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    });
  };
}

/**
 * Refuses, at registration, any route without a contract id or that differs from its contract entry. Add before
 * any route (fastify's onRoute hooks see the routes registered after them, plugin scopes included).
 */
export function enforceContract(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const id = route.config?.routeId;
    const methods = [route.method].flat();
    if (id === tusRouteId) {
      if (route.url === uploadsPrefix || route.url === `${uploadsPrefix}/*`) return;
      throw new Error(`route ${route.url}: the tus catch-all belongs at ${uploadsPrefix}`);
    }
    if (id === undefined) throw new Error(`route ${methods.join(',')} ${route.url} has no entry in shared/sync/api-contract.ts`);
    const contract = centralApi[id];
    // fastify adds a HEAD twin to each GET route, with the same options.
    const methodAgrees = methods.every((method) => method === contract.method || (method === 'HEAD' && contract.method === 'GET'));
    if (route.url !== contract.path || !methodAgrees) {
      throw new Error(`route ${methods.join(',')} ${route.url} registered as '${id}', which the contract declares ${contract.method} ${contract.path}`);
    }
  });
}
