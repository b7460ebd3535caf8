import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { type Event, EventPublisher, EventValidationError, EventValidator } from '@orrery/events';
import { RequestValidationError, type ValidationIssue } from '../http/request-validation.error';

/** `/api/events` (spec-services-events-ha §3.3): clients' events in, the event feed out. */
@Controller('events')
export class EventsController {
  constructor(
    private readonly validator: EventValidator,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * A bare array of Event; 204. Stamped and published to `events`: stored by the event-persister,
   * not here. One invalid event refuses the whole batch (422, every issue named `["body", i, …]`).
   */
  @Post()
  @HttpCode(204)
  async create(@Body() body: unknown): Promise<void> {
    if (!Array.isArray(body)) {
      throw new RequestValidationError([
        { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body ?? null },
      ]);
    }
    const issues: ValidationIssue[] = [];
    const events: Event[] = [];
    body.forEach((item: unknown, index) => {
      try {
        events.push(this.validator.parse(item, ['body', index]));
      } catch (error) {
        if (!(error instanceof EventValidationError)) throw error;
        issues.push(...error.issues);
      }
    });
    if (issues.length > 0) throw new RequestValidationError(issues);
    await this.publisher.publish(events);
  }
}
