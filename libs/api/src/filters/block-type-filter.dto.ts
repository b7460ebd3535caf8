import type { BlockTypeFilter, BlockTypeFilterName, BlockTypeFilterSlug } from '@orrery/domain';
import { Nested, OptionalString, StringList } from './filter-field.decorators';

class BlockTypeFilterNameDto implements BlockTypeFilterName {
  @OptionalString() like_?: string | null;
}

class BlockTypeFilterSlugDto implements BlockTypeFilterSlug {
  @StringList() any_?: string[] | null;
}

/** `BlockTypeFilter` (no operator; extra keys forbidden at every level). */
export class BlockTypeFilterDto implements BlockTypeFilter {
  @Nested(() => BlockTypeFilterNameDto) name?: BlockTypeFilterNameDto | null;
  @Nested(() => BlockTypeFilterSlugDto) slug?: BlockTypeFilterSlugDto | null;
}
