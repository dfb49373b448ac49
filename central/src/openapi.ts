/**
 * The OpenAPI 3.1 document of the central, generated from the API contract (shared/sync/api-contract.ts) and the
 * zod schemas in it (zod 4's `z.toJSONSchema`). The server registers its routes from the same table
 * (central/src/routes.ts), so the document cannot drift from the server; a test holds the three together.
 */
import { z } from 'zod';
import { centralApi, type RouteAnswer, type RouteAuth, type RouteContract } from '../../shared/sync/api-contract';
import { centralErrorSchema, protocolVersion } from '../../shared/sync/protocol';

const toJson = (schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9]+)/g, '{$1}');

// `enrollment`: the one-time code travels in the body, so no security scheme applies.
const securityOf: Readonly<Record<RouteAuth, readonly Record<string, []>[]>> = {
  none: [],
  enrollment: [],
  device: [{ deviceCredential: [] }],
  admin: [{ adminToken: [] }],
  'crash-token': [{ crashUploadToken: [] }],
};

function answerOf(answer: RouteAnswer): Record<string, unknown> {
  const description = answer.description ?? 'Success';
  if (answer.schema) return { description, content: { 'application/json': { schema: toJson(answer.schema, 'output') } } };
  if (answer.binary) return { description, content: { [answer.binary.contentType]: { schema: { type: 'string', format: 'binary' } } } };
  return { description };
}

export function buildOpenApi(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = { description: 'Error (centralErrorSchema)', content: { 'application/json': { schema: toJson(centralErrorSchema, 'output') } } };
  const documented: readonly RouteContract[] = Object.values(centralApi).filter((route: RouteContract) => route.servedBy !== 'test');
  for (const route of documented) {
    const params = [...route.path.matchAll(/:([A-Za-z0-9]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryShape = route.query ? (toJson(route.query, 'input').properties as Record<string, unknown>) : {};
    const query = Object.entries(queryShape).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
    const operation: Record<string, unknown> = {
      summary: route.summary,
      security: securityOf[route.auth],
      ...(params.length + query.length ? { parameters: [...params, ...query] } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(route.body, 'input') } } } } : {}),
      ...(route.rawBody ? { requestBody: { required: true, content: { [route.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } } } } : {}),
      responses: {
        ...Object.fromEntries(route.answers.map((answer) => [String(answer.status), answerOf(answer)])),
        '4XX': errorResponse,
        '5XX': errorResponse,
      },
    };
    (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'motcua central', version: String(protocolVersion), description: 'The counter ↔ central protocol (shared/sync/api-contract.ts, schemas in shared/sync/protocol.ts). See docs/central-api.md.' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        deviceCredential: { type: 'http', scheme: 'bearer', description: 'Device credential `mcd_…` from POST /api/v1/devices/enroll' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The back office token (MOTCUA_CENTRAL_ADMIN_TOKEN, --admin-token-file, or <dataDir>/admin-token)' },
        crashUploadToken: { type: 'apiKey', in: 'query', name: 'token', description: 'The crash-only upload token `mcc_…` the counter derives from its credential (shared/sync/fleet.ts)' },
      },
    },
    paths,
  };
}
