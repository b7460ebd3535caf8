import { Module } from '@nestjs/common';
import { FlowRepository } from '@orrery/persistence';
import { FlowsController } from './flows.controller';

@Module({ controllers: [FlowsController], providers: [FlowRepository] })
export class FlowsModule {}
