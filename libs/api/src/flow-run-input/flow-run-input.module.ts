import { Module } from '@nestjs/common';
import { FlowRunInputRepository } from '@orrery/persistence';
import { FlowRunInputController } from './flow-run-input.controller';

@Module({ controllers: [FlowRunInputController], providers: [FlowRunInputRepository] })
export class FlowRunInputModule {}
