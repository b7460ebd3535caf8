import type { OperatorFilter } from './filter-criteria';

/** `BlockTypeFilter` (body key `block_types`); it has no `operator`: criteria always AND. */
export interface BlockTypeFilter {
  name?: BlockTypeFilterName | null;
  slug?: BlockTypeFilterSlug | null;
}

export interface BlockTypeFilterName {
  like_?: string | null;
}

export interface BlockTypeFilterSlug {
  any_?: string[] | null;
}

/** `BlockSchemaFilter` (body key `block_schemas`). */
export interface BlockSchemaFilter extends OperatorFilter {
  block_type_id?: BlockSchemaFilterBlockTypeId | null;
  block_capabilities?: BlockSchemaFilterCapabilities | null;
  id?: BlockSchemaFilterId | null;
  version?: BlockSchemaFilterVersion | null;
}

export interface BlockSchemaFilterBlockTypeId {
  any_?: string[] | null;
}

export interface BlockSchemaFilterCapabilities {
  all_?: string[] | null;
}

export interface BlockSchemaFilterId {
  any_?: string[] | null;
}

export interface BlockSchemaFilterVersion {
  any_?: string[] | null;
}

/**
 * `BlockDocumentFilter` (body key `block_documents`). `is_anonymous` left out (undefined) means
 * `{eq_: false}` — anonymous documents are hidden unless asked for; an explicit `null` lifts that.
 */
export interface BlockDocumentFilter extends OperatorFilter {
  id?: BlockDocumentFilterId | null;
  is_anonymous?: BlockDocumentFilterIsAnonymous | null;
  block_type_id?: BlockDocumentFilterBlockTypeId | null;
  name?: BlockDocumentFilterName | null;
}

export interface BlockDocumentFilterId {
  any_?: string[] | null;
}

export interface BlockDocumentFilterIsAnonymous {
  eq_?: boolean | null;
}

export interface BlockDocumentFilterBlockTypeId {
  any_?: string[] | null;
}

export interface BlockDocumentFilterName {
  any_?: string[] | null;
  like_?: string | null;
}
