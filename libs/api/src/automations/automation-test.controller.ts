import { Controller, Get, Inject, Optional, Param, Query } from '@nestjs/common';
import type { TriggeringEvent } from '@orrery/automations';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { AutomationRepository, EventRepository } from '@orrery/persistence';
import { explainAutomation, type Explanation } from '@orrery/triggers';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { PrefectHttpError } from '../http/prefect-http.error';

/** Events replayed at most (oldest first); the answer says how many were. */
export const AUTOMATION_TEST_MAX_EVENTS = 20_000;
const PAGE = 1000;
const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `90s`, `30m`, `24h`, `7d` → seconds; null when malformed. */
export function parseSince(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (match === null) return null;
  return Number(match[1]) * UNITS[match[2] || 's']!;
}

/**
 * `GET /api/orrery/automations/{id}/test?since=24h` — outside Prefect's namespace (docs/automations.md):
 * replays the stored events of the window through the automation's trigger without acting and says
 * which events matched, the bucket counts after each, and when it would have fired.
 */
@Controller('orrery/automations')
export class AutomationTestController {
  constructor(
    private readonly automations: AutomationRepository,
    @Inject(EventRepository) private readonly events: EventRepository,
    @Optional() @InjectSettings() private readonly settings?: Settings,
  ) {}

  @Get(':id/test')
  async test(@Param('id', UuidParamPipe) id: string, @Query('since') since = '24h'): Promise<Explanation> {
    const seconds = parseSince(since);
    if (seconds === null)
      throw PrefectHttpError.unprocessable(`since must look like 90s, 30m, 24h or 7d, not ${since}`);
    const automation = await this.automations.get(id);
    if (automation === null) throw PrefectHttpError.notFound('Automation not found');
    const until = Date.now();
    const from = until - seconds * 1000;
    const criteria = {
      since: new Date(from).toISOString(),
      until: new Date(until).toISOString(),
      event: null,
      resource: null,
      related: [],
      anyResource: [],
      ids: null,
      text: null,
      order: 'ASC' as const,
    };
    const events: TriggeringEvent[] = [];
    for (let offset = 0; offset < AUTOMATION_TEST_MAX_EVENTS; offset += PAGE) {
      const page = await this.events.page(criteria, PAGE, offset);
      for (const e of page) {
        events.push({
          ...e,
          occurred: Instant.parse(e.occurred).toISOString(),
          received: Instant.parse(e.received).toISOString(),
        });
      }
      if (page.length < PAGE) break;
    }
    return explainAutomation(
      automation,
      events,
      from,
      until,
      (this.settings?.server.events.proactiveGranularity ?? 5) * 1000,
    );
  }
}
