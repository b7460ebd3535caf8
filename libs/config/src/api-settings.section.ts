import { booleanForm, durationForm, integerForm, listForm, numberForm, textForm } from './setting.forms';
import { type SettingsReader } from './settings.reader';
import { type ServerApiSettings } from './settings.types';

/** `server.api.*`: how the REST API listens, authenticates and answers (spec-api §8). */
export function readApiSettings(r: SettingsReader): ServerApiSettings {
  const cors = listForm();
  return {
    host: r.read('server.api.host', textForm(), {
      default: '127.0.0.1',
      description: 'Address the API binds to',
    }),
    port: r.read('server.api.port', integerForm({ min: 1, max: 65535 }), {
      default: 4200,
      description: 'Port the API listens on',
    }),
    basePath: r.read('server.api.base_path', textForm(), {
      default: null,
      defaultText: '— (/api)',
      description: 'Mount path of the REST API',
    }),
    authString: r.read('server.api.auth_string', textForm(), {
      default: null,
      secret: true,
      description: 'Secret. `user:pass` required as HTTP basic auth on every route but GET health/ready',
    }),
    defaultLimit: r.read('server.api.default_limit', integerForm({ min: 1 }), {
      default: 200,
      aliases: ['PREFECT_API_DEFAULT_LIMIT'],
      description: 'Default and maximum `limit` of list/filter endpoints',
    }),
    keepaliveTimeout: r.read('server.api.keepalive_timeout', integerForm({ min: 0 }), {
      default: 5,
      description: 'HTTP keep-alive timeout in seconds',
    }),
    csrfProtectionEnabled: r.read('server.api.csrf_protection_enabled', booleanForm(), {
      default: false,
      aliases: ['PREFECT_SERVER_CSRF_PROTECTION_ENABLED'],
      description: 'Require CSRF tokens on mutating requests',
    }),
    csrfTokenExpiration: r.read('server.api.csrf_token_expiration', durationForm({ above: 0 }), {
      default: 3600,
      aliases: ['PREFECT_SERVER_CSRF_TOKEN_EXPIRATION'],
      description: 'Lifetime of a CSRF token',
    }),
    corsAllowedOrigins: r.read('server.api.cors_allowed_origins', cors, {
      default: ['*'],
      aliases: ['PREFECT_SERVER_CORS_ALLOWED_ORIGINS'],
      description: 'CORS allowed origins',
    }),
    corsAllowedMethods: r.read('server.api.cors_allowed_methods', cors, {
      default: ['*'],
      aliases: ['PREFECT_SERVER_CORS_ALLOWED_METHODS'],
      description: 'CORS allowed methods',
    }),
    corsAllowedHeaders: r.read('server.api.cors_allowed_headers', cors, {
      default: ['*'],
      aliases: ['PREFECT_SERVER_CORS_ALLOWED_HEADERS'],
      description: 'CORS allowed headers',
    }),
    websocketPingInterval: r.read('server.api.websocket_ping_interval', numberForm({ above: 0 }), {
      default: 20,
      description: 'Seconds between websocket pings',
    }),
    websocketPingTimeout: r.read('server.api.websocket_ping_timeout', numberForm({ above: 0 }), {
      default: 20,
      description: 'Seconds to wait for a pong before closing',
    }),
    maxParameterSize: r.read('server.api.max_parameter_size', integerForm({ min: 0 }), {
      default: 524288,
      description: 'Largest flow-run/deployment parameters in bytes (0 = unlimited)',
    }),
    maxJsonDepth: r.read('server.api.max_json_depth', integerForm({ min: 1, max: 10000 }), {
      default: 100,
      description:
        'Orrery only. Deepest nesting of arrays and objects in a JSON request body; deeper bodies are refused with 422 before they are parsed',
    }),
    maxJsonValues: r.read('server.api.max_json_values', integerForm({ min: 1 }), {
      default: 20000,
      description:
        'Orrery only. Most values (members, elements) in one JSON body, bulk item or websocket event; more is a 422 as it arrives. SDK payloads: a few thousand at most',
    }),
    maxBulkItems: r.read('server.api.max_bulk_items', integerForm({ min: 1 }), {
      default: 100000,
      description:
        'Orrery only. Most items in one `POST /logs/` or `POST /events` body; more is a 422 as it arrives. SDK log batches: under 20 000',
    }),
    maxBodySize: r.read('server.api.max_body_size', integerForm({ min: 1024 }), {
      default: 2097152,
      description:
        'Orrery only. Largest body in bytes of every route but the bulk ones, of each bulk item and of a websocket frame (413 / close 1009). Upstream: no limit; SDK payloads stay under 1.5 MB',
    }),
    maxBulkBodySize: r.read('server.api.max_bulk_body_size', integerForm({ min: 1024 }), {
      default: 16777216,
      description:
        'Orrery only. Largest body in bytes of `POST /logs/` and `POST /events` (413 beyond); their items are parsed, validated and written in slices that yield to the event loop',
    }),
  };
}
