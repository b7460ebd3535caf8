/** Key names next to a topic's stream (standalone Redis; Cluster hash tags come later, spec §4.4). */
export function deadLetterStreamKey(topic: string): string {
  return `${topic}:dead-letter`;
}

export function deadLetterCountsKey(topic: string): string {
  return `${topic}:dead-letter:counts`;
}

/** Dead-letter streams are capped (approximately) so a poison flood cannot exhaust Redis memory. */
export const DEAD_LETTER_MAXLEN = 10_000;
