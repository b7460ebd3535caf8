import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { type BusMessage } from '../bus-message';
import { type BusOptions, resolveTuning } from '../bus-options';
import {
  type ConsumerHandle,
  type ConsumerHealth,
  type ConsumerSpec,
  type MessageValidator,
} from '../consumer-spec';
import { MessageBus } from '../message-bus';
import { BUS_OPTIONS, ON_STREAM_MESSAGE } from './bus.constants';
import { dtoValidator } from './dto-validator';
import { type StreamHandlerMetadata } from './on-stream-message.decorator';

interface DiscoveredHandler {
  readonly owner: string;
  readonly metadata: StreamHandlerMetadata;
  readonly invoke: (arg: unknown) => Promise<void>;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Finds every @OnStreamMessage method at module init (failing the boot on a bad declaration or a
 * duplicate topic/group), starts one consumer per handler at bootstrap, and on shutdown stops them,
 * letting in-flight handlers finish and acknowledge, before closing the bus.
 */
@Injectable()
export class BusExplorer
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger(BusExplorer.name);
  private handlers: DiscoveredHandler[] = [];
  private readonly running: ConsumerHandle[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly bus: MessageBus,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      this.handlers = this.discover();
      this.checkRequired();
    } catch (error) {
      // The boot fails here and nobody will call shutdown hooks: release the bus's connections now.
      await this.bus.close();
      throw error;
    }
  }

  onApplicationBootstrap(): void {
    for (const handler of this.handlers) {
      this.running.push(this.bus.consume(this.toSpec(handler)));
      this.logger.log(
        `${handler.owner} consumes ${handler.metadata.topic} as group ${handler.metadata.group}`,
      );
    }
  }

  /**
   * Consumers stop in the first shutdown hook, so in-flight handlers finish (and commit, and are
   * acknowledged) while the database and everything else they need is still up.
   */
  async onModuleDestroy(): Promise<void> {
    await this.stopConsumers();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopConsumers();
    await this.bus.close();
  }

  private async stopConsumers(): Promise<void> {
    const stopping = this.running.splice(0);
    await Promise.all(stopping.map((consumer) => consumer.stop()));
  }

  /** Per-consumer health, for readiness probes: a dead loop must be visible, never silent. */
  health(): ConsumerHealth[] {
    return this.running.map((consumer) => consumer.health());
  }

  private checkRequired(): void {
    const missing = (this.options.requireHandlers ?? []).filter(
      (required) =>
        !this.handlers.some(
          (h) => h.metadata.topic === required.topic && h.metadata.group === required.group,
        ),
    );
    if (missing.length > 0) {
      const list = missing.map((m) => `${m.topic}/${m.group}`).join(', ');
      throw new Error(`no @OnStreamMessage handler for required ${list}`);
    }
  }

  private discover(): DiscoveredHandler[] {
    const found: DiscoveredHandler[] = [];
    const seen = new Map<string, string>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.isDependencyTreeStatic()) {
        BusExplorer.refuseScoped(wrapper.metatype, this.scanner, this.reflector);
        continue;
      }
      if (instance === null || typeof instance !== 'object') {
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (prototype === null) {
        continue;
      }
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') {
          continue;
        }
        const metadata = this.reflector.get<StreamHandlerMetadata | undefined>(
          ON_STREAM_MESSAGE,
          method as (...args: unknown[]) => unknown,
        );
        if (metadata === undefined) {
          continue;
        }
        const owner = `${instance.constructor.name}.${methodName}`;
        BusExplorer.check(owner, metadata);
        const key = `${metadata.topic}\u0000${metadata.group}`;
        const previous = seen.get(key);
        if (previous !== undefined) {
          throw new Error(
            `@OnStreamMessage: ${owner} and ${previous} both consume topic ${metadata.topic} as group ${metadata.group}; ` +
              'one process may have only one handler per (topic, group)',
          );
        }
        seen.set(key, owner);
        const bound = (method as (arg: unknown) => unknown).bind(instance);
        found.push({ owner, metadata, invoke: async (arg) => void (await bound(arg)) });
      }
    }
    return found;
  }

  /** A request- or transient-scoped provider has no single instance to consume with. */
  private static refuseScoped(metatype: unknown, scanner: MetadataScanner, reflector: Reflector): void {
    if (typeof metatype !== 'function') {
      return;
    }
    const prototype = (metatype as { prototype?: object }).prototype;
    if (prototype === undefined) {
      return;
    }
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[methodName];
      if (
        typeof method === 'function' &&
        reflector.get(ON_STREAM_MESSAGE, method as (...args: unknown[]) => unknown) !== undefined
      ) {
        throw new Error(
          `@OnStreamMessage on ${metatype.name}.${methodName}: the provider must be a singleton (not request- or transient-scoped)`,
        );
      }
    }
  }

  private static check(owner: string, m: StreamHandlerMetadata): void {
    const fail = (why: string): never => {
      throw new Error(`@OnStreamMessage on ${owner}: ${why}`);
    };
    if (typeof m.topic !== 'string' || !NAME_PATTERN.test(m.topic)) {
      fail(`invalid topic ${JSON.stringify(m.topic)}`);
    }
    if (typeof m.group !== 'string' || !NAME_PATTERN.test(m.group)) {
      fail(`invalid group ${JSON.stringify(m.group)}`);
    }
    if (m.dto !== undefined && m.validate !== undefined) {
      fail('declare either dto or validate, not both');
    }
    if (m.dto !== undefined && typeof m.dto !== 'function') {
      fail('dto must be a class');
    }
    if (m.validate !== undefined && typeof m.validate !== 'function') {
      fail('validate must be a function');
    }
    if (m.concurrency !== undefined && (!Number.isInteger(m.concurrency) || m.concurrency < 1)) {
      fail(`concurrency must be a positive integer, got ${String(m.concurrency)}`);
    }
    if (typeof m.batch === 'object') {
      for (const [key, value] of Object.entries(m.batch)) {
        if (
          value !== undefined &&
          (!Number.isInteger(value) || (value as number) < (key === 'maxWaitMs' ? 0 : 1))
        ) {
          fail(`batch.${key} must be a ${key === 'maxWaitMs' ? 'non-negative' : 'positive'} integer`);
        }
      }
    }
    try {
      resolveTuning(m.tuning);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }

  private toSpec(handler: DiscoveredHandler): ConsumerSpec<unknown> {
    const m = handler.metadata;
    const validate: MessageValidator<unknown> | undefined =
      m.dto !== undefined ? dtoValidator(m.dto) : m.validate;
    const base = { topic: m.topic, group: m.group, validate, concurrency: m.concurrency, tuning: m.tuning };
    if (m.batch !== undefined) {
      return {
        ...base,
        kind: 'batch',
        batch: m.batch === true ? undefined : m.batch,
        handle: (messages: BusMessage<unknown>[]) => handler.invoke(messages),
      };
    }
    return { ...base, kind: 'single', handle: (message: BusMessage<unknown>) => handler.invoke(message) };
  }
}
