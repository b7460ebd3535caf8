/** A block type as the server registers it (`BlockTypeCreate` plus `is_protected`). */
export interface BuiltInBlockType {
  readonly name: string;
  readonly slug: string;
  readonly logo_url: string | null;
  readonly documentation_url: string | null;
  readonly description: string | null;
  readonly code_example: string | null;
  readonly is_protected: boolean;
}

/**
 * One schema version of a built-in block type. `fields` is the JSON schema exactly as Prefect's
 * API returns it (with `block_schema_references` and the definitions of nested blocks), and
 * `checksum` the value Prefect stored for it.
 */
export interface BuiltInBlockSchema {
  readonly checksum: string;
  readonly version: string;
  readonly capabilities: readonly string[];
  readonly fields: Record<string, unknown>;
}

/** A block type with the schema versions a fresh Prefect 3.8.4 server registers for it. */
export interface BuiltInBlock {
  readonly type: BuiltInBlockType;
  readonly schemas: readonly BuiltInBlockSchema[];
}
