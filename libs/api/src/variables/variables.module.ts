import { Module } from '@nestjs/common';
import { VariableRepository } from '@orrery/persistence';
import { VariablesController } from './variables.controller';
import { VariablesService } from './variables.service';

/** Variables; needs the global OutboxModule for the lifecycle events. */
@Module({ controllers: [VariablesController], providers: [VariableRepository, VariablesService] })
export class VariablesModule {}
