/**
 * The events clock (§5.3 step 2): the latest `occurred` seen, capped at now. Proactive evaluation
 * runs "as of" now plus its offset, so a consumer that lags behind does not declare windows empty
 * whose events it has not read yet. Per process, like upstream.
 */
export class EventsClock {
  private clock: number | null = null;
  private updated: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  update(occurred: number): void {
    const now = this.now();
    const at = Math.min(occurred, now);
    if (this.clock === null || at >= this.clock) this.clock = at;
    this.updated = now;
  }

  /** (clock − now) + (now − time of last update), ms; 0 before any event. */
  offsetMs(): number {
    if (this.clock === null || this.updated === null) return 0;
    const now = this.now();
    return this.clock - now + (now - this.updated);
  }
}
