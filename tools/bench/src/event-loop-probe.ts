/**
 * Preloaded into a server process by hostile-bodies.bench (`node --require …/event-loop-probe.js`):
 * records the event loop's delay and, on SIGUSR2, writes the longest delay since the last signal to
 * stderr (`event-loop-probe max-ms=… cpu-ms=…`) and starts over. The longest delay is the longest
 * stall; `cpu-ms` is the process's CPU time (all threads) during the longest gap between two turns
 * of a 5 ms timer: close to that gap when the process itself held the loop, far below it when the
 * process only waited for a CPU on a loaded machine.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

let lastWall = performance.now();
let lastCpu = process.cpuUsage();
let longest = { wallMs: 0, cpuMs: 0 };
setInterval(() => {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const wallMs = wall - lastWall;
  if (wallMs > longest.wallMs) {
    longest = { wallMs, cpuMs: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000 };
  }
  lastWall = wall;
  lastCpu = cpu;
}, 5).unref();

process.on('SIGUSR2', () => {
  process.stderr.write(
    `event-loop-probe max-ms=${(histogram.max / 1e6).toFixed(1)} cpu-ms=${longest.cpuMs.toFixed(1)}\n`,
  );
  histogram.reset();
  longest = { wallMs: 0, cpuMs: 0 };
});
