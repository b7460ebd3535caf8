import type { SavedSearchRecord } from '@orrery/persistence';
import { Type } from 'class-transformer';
import { IsArray, IsString, registerDecorator, ValidateNested } from 'class-validator';
import { AbsentAllowed } from '../common/validators';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** Required, but any JSON value including `null` (pydantic's `value: Any = Field(...)`). */
function IsPresent(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPresent',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'Field required' },
      validator: { validate: (value: unknown) => value !== undefined },
    });
  };
}

/** `SavedSearchFilter`: one filter of the UI, stored as sent. */
export class SavedSearchFilterDto {
  @IsString()
  object!: string;

  @IsString()
  property!: string;

  @IsString()
  type!: string;

  @IsString()
  operation!: string;

  @IsPresent()
  value: unknown;
}

/** `SavedSearchCreate`: the body of `PUT /saved_searches/`. */
export class SavedSearchCreateDto {
  @IsString()
  name!: string;

  @AbsentAllowed()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SavedSearchFilterDto)
  filters: SavedSearchFilterDto[] = [];
}

/** `SavedSearch` on the wire. */
/** `SavedSearch` on the wire. */
export const SAVED_SEARCH = wireModel('SavedSearch', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  filters: wire.array(
    wireModel('SavedSearchFilter', {
      object: wire.string(),
      property: wire.string(),
      type: wire.string(),
      operation: wire.string(),
      value: wire.any(),
    }),
  ),
});

export function savedSearchResponse(search: SavedSearchRecord): WireOf<typeof SAVED_SEARCH> {
  return {
    id: search.id,
    created: search.created,
    updated: search.updated,
    name: search.name,
    filters: search.filters,
  };
}
