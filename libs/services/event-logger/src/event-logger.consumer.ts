// EventLogger: a debugging aid that prints one console line per event on the `events` stream
// (upstream's EventLogger, off by default). It writes nothing anywhere else.
import { Inject, Injectable } from '@nestjs/common';
import { type BusMessage, OnStreamMessage } from '@orrery/bus';
import { Instant } from '@orrery/domain';

/** Where the lines go: stdout in production, a buffer in tests. */
export const EVENT_LOGGER_OUTPUT = Symbol('EVENT_LOGGER_OUTPUT');
export type EventLoggerOutput = (line: string) => void;

/** The fields of a Prefect event this logger reads; anything else is ignored. */
export interface LoggedEvent {
  readonly id: string;
  readonly occurred: string;
  readonly event: string;
  readonly resource: Readonly<Record<string, string>>;
}

/** Accepts anything shaped like an event; a message that is not one is dead-lettered by the bus. */
export function asLoggedEvent(data: unknown): LoggedEvent {
  const e = data as Partial<LoggedEvent> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.id !== 'string' ||
    typeof e.occurred !== 'string' ||
    typeof e.event !== 'string' ||
    typeof e.resource !== 'object' ||
    e.resource === null
  ) {
    throw new Error('not an event: needs id, occurred, event and resource');
  }
  return e as LoggedEvent;
}

/** `<first id segment> <occurred> <lag s> <event name> <resource id>`, as upstream prints it. */
export function formatEventLine(event: LoggedEvent, now: Instant): string {
  const occurred = Instant.tryParse(event.occurred);
  const lag = occurred === null ? '?' : `${now.secondsSince(occurred).toFixed(3)}s`;
  return `${event.id.split('-')[0]} ${occurred?.toISOString() ?? event.occurred} ${lag} ${event.event} ${event.resource['prefect.resource.id'] ?? ''}`;
}

@Injectable()
export class EventLoggerConsumer {
  constructor(@Inject(EVENT_LOGGER_OUTPUT) private readonly output: EventLoggerOutput) {}

  @OnStreamMessage('events', { group: 'event-logger', validate: asLoggedEvent })
  log(message: BusMessage<LoggedEvent>): Promise<void> {
    this.output(formatEventLine(message.data, Instant.now()));
    return Promise.resolve();
  }
}
