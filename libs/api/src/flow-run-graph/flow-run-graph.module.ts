import { Module } from '@nestjs/common';
import { FlowRunGraphRepository, TaskRunRepository } from '@orrery/persistence';
import { FlowRunGraphController } from './flow-run-graph.controller';

/** `GET /flow_runs/{id}/graph` and `/graph-v2`. */
@Module({
  controllers: [FlowRunGraphController],
  providers: [FlowRunGraphRepository, TaskRunRepository],
})
export class FlowRunGraphModule {}
