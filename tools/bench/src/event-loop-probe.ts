/**
 * Preloaded into a server process by hostile-bodies.bench (`node --require …/event-loop-probe.js`):
 * records the event loop's delay and, on SIGUSR2, writes the longest delay since the last signal to
 * stderr (`event-loop-probe max-ms=…`) and starts over. The longest delay is the longest stall.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
process.on('SIGUSR2', () => {
  process.stderr.write(`event-loop-probe max-ms=${(histogram.max / 1e6).toFixed(1)}\n`);
  histogram.reset();
});
