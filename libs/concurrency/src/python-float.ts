/** Python's `str(float)`: integral values keep a `.0` (Retry-After headers are formatted this way). */
export function pythonFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}
