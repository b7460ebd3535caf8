import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { type BusOptions, resolveTuning } from '../bus-options';
import { MessageBus } from '../message-bus';
import { BUS_OPTIONS } from './bus.constants';
import { BusExplorer } from './bus.explorer';
import { BusPublisher } from './bus.publisher';
import { createMessageBus } from './create-message-bus';

/**
 * `BusModule.forRoot({ driver: 'redis' | 'memory', ... })`, imported once by a process's root module.
 * Global: any provider may inject MessageBus or BusPublisher and declare @OnStreamMessage handlers.
 */
@Module({})
export class BusModule {
  static forRoot(options: BusOptions): DynamicModule {
    resolveTuning(options.consumer); // fail fast on a bad default, before anything connects
    return {
      module: BusModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: BUS_OPTIONS, useValue: options },
        { provide: MessageBus, useFactory: (o: BusOptions) => createMessageBus(o), inject: [BUS_OPTIONS] },
        BusPublisher,
        BusExplorer,
      ],
      exports: [MessageBus, BusPublisher, BusExplorer],
    };
  }
}
