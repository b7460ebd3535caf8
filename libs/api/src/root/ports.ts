import type { Instant } from '@orrery/domain';

/** Answers whether the database can serve requests (for `GET /api/ready`). */
export interface DatabaseProbe {
  ping(): Promise<void>;
}
export const DATABASE_PROBE = Symbol('DATABASE_PROBE');

/** Answers whether the message broker (Redis in HA) can be reached (for `GET /api/ready`). Optional. */
export interface BrokerProbe {
  ping(): Promise<void>;
}
export const BROKER_PROBE = Symbol('BROKER_PROBE');

export interface CsrfTokenRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly token: string;
  readonly client: string;
  readonly expiration: Instant;
}

/** Issues and checks CSRF tokens (one live token per client), used only when CSRF protection is on. */
export interface CsrfTokenStore {
  issue(client: string, expiresInSeconds: number): Promise<CsrfTokenRecord>;
  isValid(client: string, token: string): Promise<boolean>;
}
export const CSRF_TOKEN_STORE = Symbol('CSRF_TOKEN_STORE');

/**
 * What `GET /api/orrery/server` reports — the data of `orrery server services ls` (services,
 * live replicas, consumer groups, database, Redis). Process wiring (libs/server) builds it.
 */
export interface ServerReportSource {
  report(): Promise<object>;
}
export const SERVER_REPORT_SOURCE = Symbol('SERVER_REPORT_SOURCE');

/** Renders this process's metrics in the Prometheus text format (`GET /api/metrics`); absent = metrics off. */
export interface MetricsScraper {
  scrape(): Promise<string>;
}
export const METRICS_SCRAPER = Symbol('METRICS_SCRAPER');
