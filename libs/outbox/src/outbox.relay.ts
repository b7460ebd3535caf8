import { Inject, Injectable, Logger } from '@nestjs/common';
import { PeriodicJob } from '@orrery/jobs';
import { OutboxRepository } from '@orrery/persistence';
import { OUTBOX_OPTIONS, type OutboxOptions } from './outbox.options';
import { OutboxPublisher } from './outbox.publisher';

/**
 * The safety net of the outbox: once per interval across the cluster, publishes rows that stayed
 * unpublished (their writer died between commit and publish, or the bus was down), then forgets
 * rows published long ago. Rows are claimed with FOR UPDATE SKIP LOCKED and marked in the same
 * transaction, so a relay that dies mid-way leaves them for the next one.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('outbox-relay');

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    private readonly outbox: OutboxRepository,
    private readonly publisher: OutboxPublisher,
  ) {}

  @PeriodicJob('outbox-relay', {
    everySeconds: (self: OutboxRelay) => self.options.sweepEverySeconds,
    runOnStart: true,
  })
  async sweep(): Promise<void> {
    let published = 0;
    for (;;) {
      const n = await this.outbox.claimUnpublished(
        this.options.minAgeSeconds,
        this.options.batchSize,
        (rows) => this.publisher.publish(rows),
      );
      published += n;
      if (n < this.options.batchSize) break;
    }
    if (published > 0)
      this.logger.warn(`published ${published} message(s) left behind by a writer that did not publish them`);
    while ((await this.outbox.deletePublished(this.options.keepPublishedSeconds, 1000)) > 0) {
      // one batch per transaction until nothing is left
    }
  }
}
