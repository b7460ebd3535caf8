/**
 * The publisher's "recently seen" cache (spec §3.4). `claim` marks values as seen and tells which were
 * new; `forget` undoes a claim when the publish failed, so a retry is not mistaken for a duplicate.
 */
export interface DedupeCache {
  claim(values: readonly string[]): Promise<boolean[]>;
  forget(values: readonly string[]): Promise<void>;
  clear(): Promise<void>;
}
