/**
 * A setting that cannot be used. The message is one line naming the variable the value came from
 * and the accepted form, so the CLI can print `error.message` alone and exit 1 — no stack trace.
 */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';

  constructor(
    /** The environment variable the bad value was read from (canonical name or the alias used). */
    readonly variable: string,
    /** The rest of the line after `<variable>: `. */
    readonly detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}
