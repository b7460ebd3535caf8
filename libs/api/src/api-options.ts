/**
 * What the HTTP layer needs to know about its configuration. Process wiring (libs/server) builds it
 * from the settings tree; the API lib never reads the environment itself.
 */
export interface ApiOptions {
  /** Where the REST API is mounted; Prefect's default is `/api`. */
  readonly prefix: string;
  /** `PREFECT_SERVER_API_AUTH_STRING`: when set, basic auth guards everything but health and ready. */
  readonly authString: string | null;
  readonly csrfEnabled: boolean;
  readonly csrfTokenExpirationSeconds: number;
  readonly cors: { readonly origins: string; readonly methods: string; readonly headers: string };
  /**
   * `PREFECT_SERVER_API_MAX_BULK_BODY_SIZE`: largest request body accepted on any route, in bytes —
   * the limit of the bulk routes (`POST /logs/`, `POST /events`) and of a websocket frame's buffer.
   */
  readonly bodyLimitBytes: number;
  /**
   * `PREFECT_SERVER_API_MAX_BODY_SIZE`: largest body of every other route, and of each item of a
   * bulk body, in bytes (413 beyond). Absent: `bodyLimitBytes`.
   */
  readonly maxBodyBytes?: number;
  /**
   * `PREFECT_SERVER_LOG_RETRYABLE_ERRORS`: log each retryable error (a 503 for a dependency outage)
   * with its stack at error level, as upstream; off, one debug line (the access log shows the 503).
   */
  readonly logRetryableErrors?: boolean;
  /**
   * `PREFECT_SERVER_API_MAX_JSON_DEPTH`: deepest nesting of arrays/objects in a JSON body (422
   * beyond). Absent: 100.
   */
  readonly maxJsonDepth?: number;
  /**
   * `PREFECT_SERVER_API_MAX_JSON_VALUES`: most values (object members and array elements, at any
   * depth) in one JSON body or bulk item (422 beyond). Absent: 20 000.
   */
  readonly maxJsonValues?: number;
  /**
   * `PREFECT_SERVER_API_MAX_BULK_ITEMS`: most items in one `POST /logs/` or `POST /events` body
   * (422 beyond). Absent: 100 000.
   */
  readonly maxBulkItems?: number;
  /** The web UI: whether and where it is served, and what `/ui-settings` tells it. */
  readonly ui: {
    readonly apiUrl: string;
    readonly enabled: boolean;
    /** `PREFECT_UI_SERVE_BASE`: `/` or a path such as `/ui`. */
    readonly serveBase?: string;
    /** `PREFECT_SERVER_UI_STATIC_DIRECTORY` (or its default): where the build is templated and served from. */
    readonly staticDirectory?: string;
    /** The UI build to serve; null or absent when none is built (then only `/ui-settings` answers). */
    readonly buildDirectory?: string | null;
  };
  /** `PREFECT_SERVER_API_DEFAULT_LIMIT`: the default and largest `limit` of list endpoints. */
  readonly defaultLimit: number;
  /**
   * `PREFECT_SERVER_API_MAX_PARAMETER_SIZE`: largest serialized flow-run parameters in bytes
   * (0 = no limit). Absent means Prefect's default, 524288.
   */
  readonly maxParameterSize?: number;
  /** Emit one log line per request. */
  readonly accessLog: boolean;
  /**
   * `PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL` / `_TIMEOUT` in seconds (absent: Prefect's 20 and
   * 20): every websocket is pinged this often and closed when a pong is that late.
   */
  readonly websocketPing?: { readonly intervalSeconds: number; readonly timeoutSeconds: number };
}

export const API_OPTIONS = Symbol('API_OPTIONS');

/** The REST API version this server speaks (`GET /api/version`, `X-PREFECT-API-VERSION`). */
export const API_VERSION = '0.8.4';

/**
 * The Prefect server version we report on `GET /api/admin/version`. SDKs refuse a different major
 * version and warn when the server is older than they are.
 */
export const SERVER_VERSION = '3.8.4';
