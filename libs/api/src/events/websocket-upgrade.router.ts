import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { recordWebsocket } from '@orrery/telemetry';
import { normaliseRequestTarget } from '../http/request-target';
import {
  DEFAULT_MAX_JSON_DEPTH,
  DEFAULT_MAX_JSON_VALUES,
  parseBoundedJsonFrame,
} from '../http/json-body.parser';
import { authenticatePrefectSocket, frameBuffer, PREFECT_SUBPROTOCOL } from './prefect-socket.handshake';

/** How long clients get to answer the close frame at shutdown. */
const SHUTDOWN_GRACE_MS = 1000;
/** Prefect's (uvicorn's) websocket ping interval and pong timeout, in seconds. */
const DEFAULT_PING = { intervalSeconds: 20, timeoutSeconds: 20 };

/**
 * Handles one authenticated socket of a route. Called synchronously once the handshake succeeded:
 * a handler that attaches its `message` listener before returning gets every later frame.
 */
export type WebSocketRouteHandler = (socket: WebSocket, request: IncomingMessage) => void;

/**
 * Serves the API's websocket routes (`/events/in`, `/events/out`, `/logs/out` …) with `ws` on the
 * HTTP server's `upgrade` event: Nest's gateway packages are not used (architecture: `ws`). Routes
 * are paths relative to the API prefix, matched on the normalised target (as HTTP routes are); the
 * `prefect` subprotocol is accepted when offered, and every route's socket goes through the one
 * authentication handshake before its handler sees it. Upgrades on other paths are left to other
 * listeners, or refused with 404 when there are none.
 */
@Injectable()
export class WebSocketUpgradeRouter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebSocketUpgradeRouter.name);
  private readonly routes = new Map<string, WebSocketRouteHandler>();
  private readonly wss: WebSocketServer;
  private server: Server | null = null;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.upgrade(request, socket, head);

  constructor(
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      // A frame may be as large as an ordinary request body (PREFECT_SERVER_API_MAX_BODY_SIZE), no
      // larger: ws closes 1009 beyond, as uvicorn does beyond its websocket size limit.
      maxPayload: Math.min(options.maxBodyBytes ?? options.bodyLimitBytes, options.bodyLimitBytes),
      handleProtocols: (protocols) => (protocols.has(PREFECT_SUBPROTOCOL) ? PREFECT_SUBPROTOCOL : false),
    });
  }

  /**
   * A frame of any websocket parsed within a request body's bounds (nesting depth, values; NUL
   * and prototype keys refused): throws on malformed or unbounded JSON. Every route's frames are
   * read with it, the handshake's auth frame too (anyone may send one).
   */
  parseFrame(data: RawData): unknown {
    return parseBoundedJsonFrame(
      frameBuffer(data),
      this.options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
      this.options.maxJsonValues ?? DEFAULT_MAX_JSON_VALUES,
    );
  }

  /** Registers `path` (e.g. `/events/in`) under the API prefix. */
  register(path: string, handler: WebSocketRouteHandler): void {
    this.routes.set(`${this.options.prefix}${path}`, handler);
  }

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost?.httpAdapter;
    // An application context without HTTP (a services process) has no server to attach to.
    if (adapter === undefined || adapter === null) return;
    this.server = adapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
  }

  /**
   * Before the HTTP server closes: it waits for every connection, upgraded sockets included, so
   * open websockets would hold the shutdown. Clients get a 1001 close and, after a short grace
   * period, are cut off (ws would otherwise wait 30 s for an absent client's close frame).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    const clients = [...this.wss.clients];
    for (const client of clients) client.close(1001, 'Server shutting down');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (clients.some((c) => c.readyState !== WebSocket.CLOSED) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const client of clients) client.terminate();
    this.wss.close();
  }

  /**
   * Pings `ws` every ping interval and cuts it off when a pong is later than the ping timeout, as
   * uvicorn does for upstream: a peer that vanished without closing does not hold a socket forever.
   */
  private keepAlive(ws: WebSocket): void {
    const { intervalSeconds, timeoutSeconds } = this.options.websocketPing ?? DEFAULT_PING;
    let overdue: NodeJS.Timeout | null = null;
    const pinger = setInterval(() => {
      if (overdue !== null || ws.readyState !== WebSocket.OPEN) return;
      ws.ping();
      overdue = setTimeout(() => ws.terminate(), timeoutSeconds * 1000);
    }, intervalSeconds * 1000);
    ws.on('pong', () => {
      if (overdue !== null) clearTimeout(overdue);
      overdue = null;
    });
    ws.once('close', () => {
      clearInterval(pinger);
      if (overdue !== null) clearTimeout(overdue);
    });
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = normaliseRequestTarget(request.url ?? '/');
    const path = target.ok ? target.path.replace(/(.)\/+$/, '$1') : null;
    const handler = path === null ? undefined : this.routes.get(path);
    if (handler === undefined || path === null) {
      if (this.server !== null && this.server.listenerCount('upgrade') === 1) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', (error) => this.logger.warn(`websocket ${path}: ${error.message}`));
      recordWebsocket(path, 1);
      ws.once('close', () => recordWebsocket(path, -1));
      this.keepAlive(ws);
      authenticatePrefectSocket(
        ws,
        this.options.authString,
        (data) => this.parseFrame(data),
        () => {
          try {
            handler(ws, request);
          } catch (error) {
            this.logger.error(`websocket ${path} handler failed: ${String(error)}`);
            ws.close(1011);
          }
        },
      );
    });
  }
}
