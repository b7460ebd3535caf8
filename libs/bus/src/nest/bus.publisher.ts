import { Injectable } from '@nestjs/common';
import { type OutgoingMessage, type PublishOptions, type PublishResult } from '../bus-message';
import { MessageBus } from '../message-bus';

/** What producers inject: publishing only, whatever driver the process runs. */
@Injectable()
export class BusPublisher {
  constructor(private readonly bus: MessageBus) {}

  publish(
    topic: string,
    data: unknown,
    attributes?: Readonly<Record<string, string>>,
    options?: PublishOptions,
  ): Promise<string | null> {
    return this.bus.publish(topic, data, attributes, options);
  }

  publishMany(
    topic: string,
    messages: readonly OutgoingMessage[],
    options?: PublishOptions,
  ): Promise<PublishResult> {
    return this.bus.publishMany(topic, messages, options);
  }
}
