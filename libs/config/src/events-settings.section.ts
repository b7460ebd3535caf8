import { parseDocketUrl } from './connection-url.parsers';
import { backendForm, booleanForm, durationForm, integerForm, textForm } from './setting.forms';
import { type SettingsReader } from './settings.reader';
import { type DocketSettings, type ServerEventsSettings } from './settings.types';

const MESSAGING_MODULES = {
  memory: ['prefect.server.utilities.messaging.memory'],
  redis: ['prefect_redis.messaging'],
};
const ORDERING_MODULES = {
  memory: ['prefect.server.events.ordering.memory'],
  redis: ['prefect_redis.ordering'],
};

/** `server.docket.*`: the periodic-job backend (`memory://` or Redis). */
export function readDocketSettings(r: SettingsReader): DocketSettings {
  const name = r.read('server.docket.name', textForm(), {
    default: 'prefect-server',
    description: 'Namespace of periodic/background job keys',
  });
  const url = r.read('server.docket.url', textForm(), {
    default: 'memory://',
    url: true,
    description:
      'Job runner backend: memory:// (one process) or redis://… (required with several service replicas)',
  });
  return { name, ...parseDocketUrl(r.rawOf('server.docket.url'), url) };
}

/** `server.events.*`: event limits, retention and the pluggable messaging backends. */
export function readEventsSettings(r: SettingsReader): ServerEventsSettings {
  const positiveInt = integerForm({ min: 1 });
  const seconds = durationForm({ min: 0 });
  return {
    streamOutEnabled: r.read('server.events.stream_out_enabled', booleanForm(), {
      default: true,
      aliases: ['PREFECT_API_EVENTS_STREAM_OUT_ENABLED'],
      description: 'Run the distributor (/api/events/out websockets)',
    }),
    relatedResourceCacheTtl: r.read('server.events.related_resource_cache_ttl', seconds, {
      default: 300,
      aliases: ['PREFECT_API_EVENTS_RELATED_RESOURCE_CACHE_TTL'],
      description: 'TTL of the flow-run related-resource cache',
    }),
    maximumLabelsPerResource: r.read('server.events.maximum_labels_per_resource', positiveInt, {
      default: 500,
      aliases: ['PREFECT_EVENTS_MAXIMUM_LABELS_PER_RESOURCE'],
      description: 'Labels accepted per event resource',
    }),
    maximumRelatedResources: r.read('server.events.maximum_related_resources', positiveInt, {
      default: 100,
      aliases: ['PREFECT_EVENTS_MAXIMUM_RELATED_RESOURCES'],
      description: 'Related resources accepted per event',
    }),
    maximumSizeBytes: r.read('server.events.maximum_size_bytes', positiveInt, {
      default: 1500000,
      aliases: ['PREFECT_EVENTS_MAXIMUM_SIZE_BYTES'],
      description: 'Largest accepted event in bytes',
    }),
    expiredBucketBuffer: r.read('server.events.expired_bucket_buffer', seconds, {
      default: 60,
      aliases: ['PREFECT_EVENTS_EXPIRED_BUCKET_BUFFER'],
      description: 'Grace period before an expired trigger bucket is swept',
    }),
    proactiveGranularity: r.read('server.events.proactive_granularity', durationForm({ above: 0 }), {
      default: 5,
      aliases: ['PREFECT_EVENTS_PROACTIVE_GRANULARITY'],
      description: 'Interval of proactive trigger evaluation',
    }),
    retentionPeriod: r.read('server.events.retention_period', durationForm({ above: 0 }), {
      default: 604800,
      aliases: ['PREFECT_EVENTS_RETENTION_PERIOD'],
      description: 'Events older than this are deleted by db-vacuum',
    }),
    maximumWebsocketBackfill: r.read('server.events.maximum_websocket_backfill', seconds, {
      default: 900,
      aliases: ['PREFECT_EVENTS_MAXIMUM_WEBSOCKET_BACKFILL'],
      description: 'How far back /api/events/out backfills',
    }),
    websocketBackfillPageSize: r.read('server.events.websocket_backfill_page_size', positiveInt, {
      default: 250,
      aliases: ['PREFECT_EVENTS_WEBSOCKET_BACKFILL_PAGE_SIZE'],
      description: 'Rows per backfill page',
    }),
    messagingBroker: r.read('server.events.messaging_broker', backendForm(MESSAGING_MODULES), {
      default: 'memory',
      defaultText: 'prefect.server.utilities.messaging.memory',
      aliases: ['PREFECT_MESSAGING_BROKER'],
      description: 'Message broker: memory (one process) or redis (Redis Streams)',
    }),
    messagingCache: r.read('server.events.messaging_cache', backendForm(MESSAGING_MODULES), {
      default: 'memory',
      defaultText: 'prefect.server.utilities.messaging.memory',
      aliases: ['PREFECT_MESSAGING_CACHE'],
      description: 'De-duplication cache: memory or redis',
    }),
    causalOrdering: r.read('server.events.causal_ordering', backendForm(ORDERING_MODULES), {
      default: 'memory',
      defaultText: 'prefect.server.events.ordering.memory',
      description: 'Causal-ordering store: memory or redis',
    }),
    maximumEventNameLength: r.read('server.events.maximum_event_name_length', positiveInt, {
      default: 1024,
      description: 'Longest accepted event name',
    }),
  };
}
