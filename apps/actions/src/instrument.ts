// First import of main.ts: OpenTelemetry must patch http, pg and ioredis before anything loads them.
import { startTelemetry } from '@orrery/telemetry';

startTelemetry('orrery-actions');
