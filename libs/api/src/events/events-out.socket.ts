import { Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { eventMatches, type ReceivedEvent } from '@orrery/events';
import { type EventCriteria, type EventRecord, EventRepository } from '@orrery/persistence';
import type { RawData, WebSocket } from 'ws';
import { EventFilterParser } from './event-filter.parser';
import { receivedEventResponse } from './event.response';
import { EventDistributor } from './event.distributor';
import { firstFrame, WS_PROTOCOL_ERROR } from './prefect-socket.handshake';
import { WebSocketUpgradeRouter } from './websocket-upgrade.router';

/** How often an idle stream checks that its client is still there (upstream: every second). */
const IDLE_POLL_MS = 1000;
/** Stop taking from the queue while the socket has this much unsent (a slow client drops, not us). */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

/**
 * `WS /api/events/out` (spec-services-events-ha §3.3): after the handshake the client sends
 * `{"type":"filter","filter":…,"backfill":true?}` (anything else closes 1002). The order is forced
 * to ASC and `since` clamped to `MAXIMUM_WEBSOCKET_BACKFILL`. The live subscription starts first,
 * then the backfill is read from the database in pages (`WEBSOCKET_BACKFILL_PAGE_SIZE`), then live
 * events follow, skipping ids the backfill already sent. Each event is `{"type":"event","event":…}`.
 * Not served when `PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED` is false.
 */
@Injectable()
export class EventsOutSocket implements OnModuleInit {
  private readonly logger = new Logger(EventsOutSocket.name);
  private readonly enabled: boolean;
  private readonly maximumBackfillSeconds: number;
  private readonly pageSize: number;

  constructor(
    private readonly router: WebSocketUpgradeRouter,
    private readonly distributor: EventDistributor,
    private readonly events: EventRepository,
    @Optional() @InjectSettings() settings?: Settings,
  ) {
    this.enabled = settings?.server.events.streamOutEnabled ?? true;
    this.maximumBackfillSeconds = settings?.server.events.maximumWebsocketBackfill ?? 15 * 60;
    this.pageSize = settings?.server.events.websocketBackfillPageSize ?? 250;
  }

  onModuleInit(): void {
    if (this.enabled) this.router.register('/events/out', (socket) => void this.serve(socket));
  }

  private async serve(socket: WebSocket): Promise<void> {
    const frame = await firstFrame(socket);
    if (frame === null) return;

    const request = this.readFilter(frame);
    if (request === null) {
      socket.close(WS_PROTOCOL_ERROR, 'Expected a filter message');
      return;
    }
    const { criteria, openEnded, backfill } = request;
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });
    try {
      const subscription = await this.distributor.subscribe((e) => eventMatches(criteria, e, openEnded));
      socket.once('close', () => subscription.close());
      if (closed) {
        subscription.close();
        return;
      }
      const sent = new Set<string>();
      if (backfill) await this.backfill(socket, criteria, sent, () => closed);
      while (!closed) {
        const events = await subscription.take(IDLE_POLL_MS);
        for (const event of events) {
          if (closed) break;
          if (sent.delete(event.id)) continue;
          socket.send(JSON.stringify({ type: 'event', event: wireEvent(event) }));
        }
        while (!closed && socket.bufferedAmount > MAX_UNSENT_BYTES) await sleep(50);
      }
    } catch (error) {
      this.logger.error(`events/out stream failed: ${String(error)}`);
      if (!closed) socket.close(1011, 'Event stream failed');
    }
  }

  private readFilter(
    frame: RawData,
  ): { criteria: EventCriteria; openEnded: boolean; backfill: boolean } | null {
    let message: unknown;
    try {
      message = this.router.parseFrame(frame);
    } catch {
      return null;
    }
    const m = message as { type?: unknown; filter?: unknown; backfill?: unknown } | null;
    if (typeof m !== 'object' || m === null || m.type !== 'filter') return null;
    const now = Instant.now();
    const parsed = new EventFilterParser(now).parse(m.filter, ['filter']);
    if (parsed === null) return null;
    const clampedSince = now.minusSeconds(this.maximumBackfillSeconds).toISOString();
    const rawOccurred = (m.filter as { occurred?: { until?: unknown } } | undefined)?.occurred;
    const criteria: EventCriteria = {
      ...parsed.criteria,
      order: 'ASC',
      since: parsed.criteria.since > clampedSince ? parsed.criteria.since : clampedSince,
    };
    return { criteria, openEnded: rawOccurred?.until === undefined, backfill: m.backfill !== false };
  }

  /** Pages of the stored events matching the filter, oldest first; remembers what it sent. */
  private async backfill(
    socket: WebSocket,
    criteria: EventCriteria,
    sent: Set<string>,
    isClosed: () => boolean,
  ): Promise<void> {
    for (let offset = 0; !isClosed(); offset += this.pageSize) {
      const page: EventRecord[] = await this.events.page(criteria, this.pageSize, offset);
      for (const row of page) {
        sent.add(row.id);
        socket.send(JSON.stringify({ type: 'event', event: receivedEventResponse(row) }));
      }
      if (page.length < this.pageSize) return;
    }
  }
}

function wireEvent(e: ReceivedEvent): Record<string, unknown> {
  return {
    occurred: e.occurred,
    event: e.event,
    resource: e.resource,
    related: e.related,
    payload: e.payload,
    id: e.id,
    follows: e.follows,
    received: e.received,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
