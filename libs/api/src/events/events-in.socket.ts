import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RequestValidationError } from '@orrery/domain';
import { type Event, EventPublisher, EventValidationError, EventValidator } from '@orrery/events';
import type { RawData, WebSocket } from 'ws';
import { WS_INTERNAL_ERROR } from './prefect-socket.handshake';
import { WebSocketUpgradeRouter } from './websocket-upgrade.router';
import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '@orrery/telemetry';

/** Frames waiting to be published before the socket stops reading (bounded memory per client). */
const MAX_BUFFERED_EVENTS = 1000;

/**
 * `WS /api/events/in` (spec-services-events-ha §3.3): after the handshake every text frame is one
 * Event, stamped and published. Each frame is held to a request body's bounds before it is parsed:
 * size (PREFECT_SERVER_API_MAX_BODY_SIZE; ws closes 1009 beyond, as uvicorn does beyond its own
 * limit), nesting depth and values (the JSON limits, `WebSocketUpgradeRouter.parseFrame`), no NUL
 * character, no prototype key.
 * A frame refused by them, malformed or not a valid Event is logged and skipped. Upstream instead
 * lets the parse error end the handler, which drops the connection; the SDK's events client then
 * reconnects and re-sends every unacknowledged event, the bad one included, over and over — so one
 * bad event must not drop the client's stream. Frames that arrive while a publish is in flight go out together in the next
 * `publishMany`, in arrival order. When the broker fails the socket closes 1011, so the SDK's events
 * client reconnects and re-sends what it has not seen acknowledged.
 */
@Injectable()
export class EventsInSocket implements OnModuleInit {
  private readonly logger = new Logger(EventsInSocket.name);

  constructor(
    private readonly router: WebSocketUpgradeRouter,
    private readonly validator: EventValidator,
    private readonly publisher: EventPublisher,
  ) {}

  onModuleInit(): void {
    this.router.register('/events/in', (socket) => this.serve(socket));
  }

  private serve(socket: WebSocket): void {
    let buffered: Event[] = [];
    let publishing = false;
    const flush = async (): Promise<void> => {
      publishing = true;
      try {
        while (buffered.length > 0) {
          const batch = buffered;
          buffered = [];
          if (socket.isPaused) socket.resume();
          // A websocket frame has no HTTP server span: each batch is a SERVER span of its own.
          await inSpan(
            'WS /api/events/in',
            { 'messaging.batch.message_count': batch.length },
            () => this.publisher.publish(batch),
            SpanKind.SERVER,
          );
        }
      } catch (error) {
        this.logger.error(`could not publish events from a websocket client: ${String(error)}`);
        buffered = [];
        socket.close(WS_INTERNAL_ERROR, 'Could not publish events');
      } finally {
        publishing = false;
      }
    };
    const onFrame = (data: RawData): void => {
      let event: Event;
      try {
        event = this.validator.parse(this.router.parseFrame(data));
      } catch (error) {
        const reason =
          error instanceof EventValidationError || error instanceof RequestValidationError
            ? error.message
            : `not JSON: ${String(error)}`;
        this.logger.warn(`skipped an invalid event frame on /events/in: ${reason}`);
        return;
      }
      buffered.push(event);
      if (buffered.length >= MAX_BUFFERED_EVENTS) socket.pause();
      if (!publishing) void flush();
    };
    socket.on('message', onFrame);
  }
}
