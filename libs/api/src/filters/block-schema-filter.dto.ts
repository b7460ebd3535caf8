import type {
  BlockSchemaFilter,
  BlockSchemaFilterBlockTypeId,
  BlockSchemaFilterCapabilities,
  BlockSchemaFilterId,
  BlockSchemaFilterVersion,
  FilterOperator,
} from '@orrery/domain';
import { Nested, Operator, StringList, UuidList } from './filter-field.decorators';

class BlockSchemaFilterBlockTypeIdDto implements BlockSchemaFilterBlockTypeId {
  @UuidList() any_?: string[] | null;
}

class BlockSchemaFilterCapabilitiesDto implements BlockSchemaFilterCapabilities {
  @StringList() all_?: string[] | null;
}

class BlockSchemaFilterIdDto implements BlockSchemaFilterId {
  @UuidList() any_?: string[] | null;
}

class BlockSchemaFilterVersionDto implements BlockSchemaFilterVersion {
  @StringList() any_?: string[] | null;
}

/** `BlockSchemaFilter` (extra keys forbidden at every level). */
export class BlockSchemaFilterDto implements BlockSchemaFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => BlockSchemaFilterBlockTypeIdDto) block_type_id?: BlockSchemaFilterBlockTypeIdDto | null;
  @Nested(() => BlockSchemaFilterCapabilitiesDto)
  block_capabilities?: BlockSchemaFilterCapabilitiesDto | null;
  @Nested(() => BlockSchemaFilterIdDto) id?: BlockSchemaFilterIdDto | null;
  @Nested(() => BlockSchemaFilterVersionDto) version?: BlockSchemaFilterVersionDto | null;
}
