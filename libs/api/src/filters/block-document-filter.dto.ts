import type {
  BlockDocumentFilter,
  BlockDocumentFilterBlockTypeId,
  BlockDocumentFilterId,
  BlockDocumentFilterIsAnonymous,
  BlockDocumentFilterName,
  FilterOperator,
} from '@orrery/domain';
import {
  Nested,
  Operator,
  OptionalBoolean,
  OptionalString,
  StringList,
  UuidList,
} from './filter-field.decorators';

class BlockDocumentFilterIdDto implements BlockDocumentFilterId {
  @UuidList() any_?: string[] | null;
}

class BlockDocumentFilterIsAnonymousDto implements BlockDocumentFilterIsAnonymous {
  @OptionalBoolean() eq_?: boolean | null;
}

class BlockDocumentFilterBlockTypeIdDto implements BlockDocumentFilterBlockTypeId {
  @UuidList() any_?: string[] | null;
}

class BlockDocumentFilterNameDto implements BlockDocumentFilterName {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
}

/**
 * `BlockDocumentFilter` (extra keys forbidden at every level). `is_anonymous` left out stays
 * undefined, which the query compiler reads as `{eq_: false}`; an explicit `null` stays null.
 */
export class BlockDocumentFilterDto implements BlockDocumentFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => BlockDocumentFilterIdDto) id?: BlockDocumentFilterIdDto | null;
  @Nested(() => BlockDocumentFilterIsAnonymousDto) is_anonymous?: BlockDocumentFilterIsAnonymousDto | null;
  @Nested(() => BlockDocumentFilterBlockTypeIdDto) block_type_id?: BlockDocumentFilterBlockTypeIdDto | null;
  @Nested(() => BlockDocumentFilterNameDto) name?: BlockDocumentFilterNameDto | null;
}
