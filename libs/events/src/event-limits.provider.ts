import type { Provider } from '@nestjs/common';
import { SETTINGS } from '@orrery/config';
import type { Settings } from '@orrery/config';
import { DEFAULT_EVENT_LIMITS, type EventLimits } from './event.model';
import { EventValidator } from './event.validator';

/** The §3.1 limits from the settings tree; Prefect's defaults when the process provides none. */
export function eventLimitsFrom(settings: Settings | undefined): EventLimits {
  if (settings === undefined) return DEFAULT_EVENT_LIMITS;
  const e = settings.server.events;
  return {
    maximumEventNameLength: e.maximumEventNameLength,
    maximumLabelsPerResource: e.maximumLabelsPerResource,
    maximumRelatedResources: e.maximumRelatedResources,
    maximumSizeBytes: e.maximumSizeBytes,
  };
}

export const EVENT_LIMITS = Symbol('EVENT_LIMITS');

export const EVENT_LIMITS_PROVIDER: Provider = {
  provide: EVENT_LIMITS,
  useFactory: (settings?: Settings) => eventLimitsFrom(settings),
  inject: [{ token: SETTINGS, optional: true }],
};

export const EVENT_VALIDATOR_PROVIDER: Provider = {
  provide: EventValidator,
  useFactory: (limits: EventLimits) => new EventValidator(limits),
  inject: [EVENT_LIMITS],
};
