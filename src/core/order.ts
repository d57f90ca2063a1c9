/** Ascending code-unit order of two strings (what `<` compares), for sort comparators that must not depend on locale. */
export function byCodeUnit(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
