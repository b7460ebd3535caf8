import { type Extension } from '@electric-sql/pglite';
import { Instant } from '@orrery/domain';

type WasmImports = Record<string, Record<string, unknown> | undefined>;
type InstantiateWasm = (imports: WasmImports, done: (instance: unknown, module: unknown) => void) => unknown;

/** Milliseconds since the epoch with the microseconds as the fraction, from the process's µs clock. */
const microsecondDateNow = (): number => Instant.now().epochMicros / 1000;

/**
 * PGlite's wall clock keeps only milliseconds: Emscripten's `emscripten_date_now` import — what
 * PostgreSQL's gettimeofday, hence `now()`, `clock_timestamp()` and every `DEFAULT now()`, reads —
 * is `Date.now()`, so each `created`/`updated` came back as `…08.315000Z` where PostgreSQL gives
 * `…08.315123Z` (issue 13). This extension gives PGlite's WebAssembly instance that import from the
 * process's microsecond clock (`Instant.now()`, the clock the orchestration path stamps states
 * with). It only wraps the `instantiateWasm` hook PGlite hands Emscripten, through PGlite's own
 * extension interface (`emscriptenOpts`); the monotonic clock and every other import are untouched.
 */
export const MICROSECOND_CLOCK: Extension = {
  name: 'orrery_microsecond_clock',
  setup: (_pg, emscriptenOptions: Record<string, unknown>) => {
    const instantiate = emscriptenOptions['instantiateWasm'] as InstantiateWasm | undefined;
    if (instantiate === undefined) return Promise.resolve({});
    const instantiateWasm: InstantiateWasm = (imports, done) =>
      instantiate(withMicrosecondClock(imports), done);
    return Promise.resolve({ emscriptenOpts: { ...emscriptenOptions, instantiateWasm } });
  },
};

/** The same imports with every module's `emscripten_date_now` replaced (modules may share one object). */
export function withMicrosecondClock(imports: WasmImports): WasmImports {
  const replaced: WasmImports = {};
  for (const [name, module] of Object.entries(imports)) {
    replaced[name] =
      module !== undefined && typeof module['emscripten_date_now'] === 'function'
        ? { ...module, emscripten_date_now: microsecondDateNow }
        : module;
  }
  return replaced;
}
