import { Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import type { LogFilter } from '@orrery/domain';
import type { RawData, WebSocket } from 'ws';
import { firstFrame, WS_PROTOCOL_ERROR } from '../events/prefect-socket.handshake';
import { WebSocketUpgradeRouter } from '../events/websocket-upgrade.router';
import { LOG_BODY } from '../filters/filter-bodies';
import { parseFilterCriteria } from '../filters/list-body.parser';
import { RequestValidationError } from '@orrery/domain';
import { LogDistributor } from './log.distributor';
import { logMatches } from './log-stream.filter';

/** How often an idle stream checks that its client is still there (upstream: every second). */
const IDLE_POLL_MS = 1000;
/** Stop taking from the queue while the socket has this much unsent (a slow client drops, not us). */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;
/** RFC 6455 caps a close reason at 123 bytes. */
const MAX_CLOSE_REASON = 123;

/**
 * `WS /api/logs/out` (spec-services-events-ha §3.3, upstream `api/logs.py` `stream_logs_out`): the
 * Prefect handshake, then the client must send `{"type":"filter","filter":<LogFilter>}`; another
 * type closes 1002 "Expected 'filter' message", an invalid filter 1002 "Invalid filter: …". No
 * backfill: live logs only, each as `{"type":"log","log":<Log>}`. Always served, as upstream: with
 * `PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED` off (the default) the socket stays open and sends nothing,
 * and no tail of the `logs` topic starts (the SDK's `prefect deployment run --watch` opens this socket
 * and gives up watching when it is refused).
 */
@Injectable()
export class LogsOutSocket implements OnModuleInit {
  private readonly logger = new Logger(LogsOutSocket.name);
  readonly enabled: boolean;

  constructor(
    private readonly router: WebSocketUpgradeRouter,
    private readonly distributor: LogDistributor,
    @Optional() @InjectSettings() settings?: Settings,
  ) {
    this.enabled = settings?.server.logs.streamOutEnabled ?? false;
  }

  onModuleInit(): void {
    this.router.register('/logs/out', (socket) => void this.serve(socket));
  }

  private async serve(socket: WebSocket): Promise<void> {
    const frame = await firstFrame(socket);
    if (frame === null) return;

    const request = readFilter(frame, (data) => this.router.parseFrame(data));
    if ('error' in request) {
      socket.close(WS_PROTOCOL_ERROR, truncate(request.error));
      return;
    }
    if (!this.enabled) {
      // Upstream's stream yields nothing when its distributor is off; the client keeps listening.
      if (socket.readyState === socket.OPEN) await new Promise((resolve) => socket.once('close', resolve));
      return;
    }
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });
    try {
      const subscription = await this.distributor.subscribe((log) => logMatches(request.filter, log));
      socket.once('close', () => subscription.close());
      if (closed) {
        subscription.close();
        return;
      }
      while (!closed) {
        for (const log of await subscription.take(IDLE_POLL_MS)) {
          if (closed) break;
          socket.send(JSON.stringify({ type: 'log', log }));
        }
        while (!closed && socket.bufferedAmount > MAX_UNSENT_BYTES) await sleep(50);
      }
    } catch (error) {
      this.logger.error(`logs/out stream failed: ${String(error)}`);
      if (!closed) socket.close(1011, 'Log stream failed');
    }
  }
}

/**
 * The filter message (parsed by `parse`, the router's, within the body bounds), validated as
 * `POST /logs/filter` validates its `logs` key.
 */
function readFilter(
  frame: RawData,
  parse: (data: RawData) => unknown,
): { filter: LogFilter } | { error: string } {
  let message: unknown;
  try {
    message = parse(frame);
  } catch {
    return { error: "Expected 'filter' message" };
  }
  const m = message as { type?: unknown; filter?: unknown } | null;
  if (typeof m !== 'object' || m === null || m.type !== 'filter')
    return { error: "Expected 'filter' message" };
  if (typeof m.filter !== 'object' || m.filter === null || Array.isArray(m.filter)) {
    return { error: 'Invalid filter: the filter must be a LogFilter object' };
  }
  try {
    return { filter: parseFilterCriteria(LOG_BODY, { logs: m.filter }).logs ?? {} };
  } catch (error) {
    if (error instanceof RequestValidationError) {
      const issue = error.issues[0];
      return {
        error: `Invalid filter: ${issue ? `${issue.loc.slice(2).join('.')}: ${issue.msg}` : 'invalid'}`,
      };
    }
    throw error;
  }
}

function truncate(reason: string): string {
  let text = reason;
  while (Buffer.byteLength(text) > MAX_CLOSE_REASON) text = text.slice(0, -1);
  return text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
