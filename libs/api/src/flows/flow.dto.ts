import { type FlowRecord, type Labels } from '@orrery/persistence';
import { IsArray, IsString, Matches } from 'class-validator';
import { AbsentAllowed, IsLabels } from '../common/validators';
import { wire, wireModel, wirePage, type WireOf } from '../openapi/wire-schema';

/** Flow and deployment names may not contain `/ % & > <` (they appear in URLs). */
export const NAME_PATTERN = /^[^/%&><]+$/;

/** `FlowCreate`: the body of `POST /flows/`. */
export class FlowCreateDto {
  @IsString()
  @Matches(NAME_PATTERN)
  name!: string;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  tags: string[] = [];

  // FlowCreate.labels: default_factory=dict when absent (schemas/actions.py:78), null kept when sent.
  @AbsentAllowed()
  @IsLabels()
  labels: Labels | null = {};
}

/** `FlowUpdate`: the body of `PATCH /flows/{id}`. */
export class FlowUpdateDto {
  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];
}

/** `Flow` on the wire. */
export const FLOW = wireModel('Flow', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  tags: wire.array(wire.string()),
  labels: wire.nullable(wire.labels()),
});
export const FLOW_PAGE = wirePage('FlowPaginationResponse', FLOW);
export const FLOW_BULK_DELETE = wireModel('FlowBulkDeleteResponse', { deleted: wire.array(wire.uuid()) });

export function flowResponse(flow: FlowRecord): WireOf<typeof FLOW> {
  return {
    id: flow.id,
    created: flow.created,
    updated: flow.updated,
    name: flow.name,
    tags: flow.tags,
    labels: flow.labels,
  };
}
