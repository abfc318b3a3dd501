/** `SU(l)` of contracts.md: deduplicated and sorted by UTF-16 code units. */
export function sortedUnique(list: Iterable<string>): string[] {
  return [...new Set(list)].sort();
}
