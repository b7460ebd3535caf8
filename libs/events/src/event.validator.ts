import { Instant, isUuid, laxDateTime, laxUuid } from '@orrery/domain';
import {
  type Event,
  type EventLimits,
  type ReceivedEvent,
  type Resource,
  RESOURCE_ID_LABEL,
  RESOURCE_ROLE_LABEL,
} from './event.model';
import { EventValidationError, type EventValidationIssue } from './event-validation.error';

type Loc = ReadonlyArray<string | number>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates and normalises events with Prefect's rules (§3.1): every issue is collected, so one 422
 * names every bad field. Unknown fields are ignored, as `ReceivedEvent` does upstream.
 */
export class EventValidator {
  constructor(private readonly limits: EventLimits) {}

  /** A client's `Event`; throws EventValidationError. */
  parse(input: unknown, loc: Loc = []): Event {
    const issues: EventValidationIssue[] = [];
    const event = this.parseInto(input, loc, issues);
    if (event === null || issues.length > 0) throw new EventValidationError(issues);
    return event;
  }

  /**
   * A `ReceivedEvent` read back from the bus. `received` defaults to now, as upstream's model does:
   * server-side emitters (the flow-run state events of the outbox) publish events without it.
   */
  parseReceived(input: unknown, now: Instant = Instant.now()): ReceivedEvent {
    const issues: EventValidationIssue[] = [];
    const event = this.parseInto(input, [], issues);
    const stamped = isPlainObject(input) ? input.received : undefined;
    const received =
      stamped === undefined || stamped === null
        ? now.toISOString()
        : this.instant(stamped, ['received'], issues);
    if (event === null || received === null || issues.length > 0) throw new EventValidationError(issues);
    return { ...event, received };
  }

  /** Stamps `received` (the server's clock, once, when it accepts the event). */
  static receive(event: Event, now: Instant = Instant.now()): ReceivedEvent {
    return { ...event, received: now.toISOString() };
  }

  /** Bytes of the serialised event, compared against `maximumSizeBytes` before publishing. */
  static sizeInBytes(event: Event): number {
    return Buffer.byteLength(JSON.stringify(event), 'utf8');
  }

  private parseInto(input: unknown, loc: Loc, issues: EventValidationIssue[]): Event | null {
    if (!isPlainObject(input)) {
      issues.push({ type: 'model_type', loc, msg: 'Input should be a valid dictionary or object', input });
      return null;
    }
    const id = this.uuid(input.id, [...loc, 'id'], issues, true);
    const occurred = this.instant(input.occurred, [...loc, 'occurred'], issues);
    const name = this.eventName(input.event, [...loc, 'event'], issues);
    const resource = this.resource(input.resource, [...loc, 'resource'], issues, false);
    const related = this.related(input.related, [...loc, 'related'], issues);
    let payload: Record<string, unknown> = {};
    if (input.payload !== undefined) {
      if (isPlainObject(input.payload)) payload = input.payload;
      else
        issues.push({
          type: 'dict_type',
          loc: [...loc, 'payload'],
          msg: 'Input should be a valid dictionary',
          input: input.payload,
        });
    }
    const follows =
      input.follows === undefined || input.follows === null
        ? null
        : this.uuid(input.follows, [...loc, 'follows'], issues, false);
    if (id === null || occurred === null || name === null || resource === null || related === null)
      return null;
    return { id, occurred, event: name, resource, related, payload, follows };
  }

  private uuid(value: unknown, loc: Loc, issues: EventValidationIssue[], required: boolean): string | null {
    if (value === undefined && required) {
      issues.push({ type: 'missing', loc, msg: 'Field required', input: value });
      return null;
    }
    // The hyphenated form every SDK sends skips laxUuid's other forms (braces, no hyphens, urn:uuid:).
    if (isUuid(value)) return value.toLowerCase();
    const parsed = laxUuid(value);
    if (!parsed.ok) {
      issues.push({ type: parsed.type, loc, msg: parsed.msg, input: value });
      return null;
    }
    return parsed.value;
  }

  private instant(value: unknown, loc: Loc, issues: EventValidationIssue[]): string | null {
    if (value === undefined) {
      issues.push({ type: 'missing', loc, msg: 'Field required', input: value });
      return null;
    }
    const parsed = laxDateTime(value);
    if (!parsed.ok) {
      issues.push({ type: parsed.type, loc, msg: parsed.msg, input: value });
      return null;
    }
    return parsed.value.toISOString();
  }

  private eventName(value: unknown, loc: Loc, issues: EventValidationIssue[]): string | null {
    if (typeof value !== 'string') {
      issues.push(
        value === undefined
          ? { type: 'missing', loc, msg: 'Field required', input: value }
          : { type: 'string_type', loc, msg: 'Input should be a valid string', input: value },
      );
      return null;
    }
    if (value.length > this.limits.maximumEventNameLength) {
      issues.push({
        type: 'value_error',
        loc,
        msg: `Value error, Event name must be at most ${this.limits.maximumEventNameLength} characters`,
        input: value,
      });
      return null;
    }
    return value;
  }

  private resource(
    value: unknown,
    loc: Loc,
    issues: EventValidationIssue[],
    related: boolean,
  ): Resource | null {
    if (!isPlainObject(value)) {
      issues.push(
        value === undefined
          ? { type: 'missing', loc, msg: 'Field required', input: value }
          : { type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: value },
      );
      return null;
    }
    const before = issues.length;
    const labels = Object.entries(value);
    for (const [key, label] of labels) {
      if (typeof label !== 'string') {
        issues.push({
          type: 'string_type',
          loc: [...loc, key],
          msg: 'Input should be a valid string',
          input: label,
        });
      }
    }
    if (labels.length > this.limits.maximumLabelsPerResource) {
      issues.push({
        type: 'value_error',
        loc,
        msg: `Value error, The maximum number of labels per resource is ${this.limits.maximumLabelsPerResource}`,
        input: value,
      });
    }
    for (const required of related ? [RESOURCE_ID_LABEL, RESOURCE_ROLE_LABEL] : [RESOURCE_ID_LABEL]) {
      if (!(required in value)) {
        issues.push({
          type: 'value_error',
          loc,
          msg: `Value error, Resources must include the ${required} label`,
          input: value,
        });
      } else if (value[required] === '') {
        issues.push({
          type: 'value_error',
          loc,
          msg: `Value error, The ${required} label must be non-empty`,
          input: value,
        });
      }
    }
    return issues.length === before ? (value as Resource) : null;
  }

  private related(value: unknown, loc: Loc, issues: EventValidationIssue[]): Resource[] | null {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      issues.push({ type: 'list_type', loc, msg: 'Input should be a valid list', input: value });
      return null;
    }
    if (value.length > this.limits.maximumRelatedResources) {
      issues.push({
        type: 'value_error',
        loc,
        msg: `Value error, The maximum number of related resources is ${this.limits.maximumRelatedResources}`,
        input: value,
      });
      return null;
    }
    const resources: Resource[] = [];
    let ok = true;
    value.forEach((item: unknown, index) => {
      const resource = this.resource(item, [...loc, index], issues, true);
      if (resource === null) ok = false;
      else resources.push(resource);
    });
    return ok ? resources : null;
  }
}
