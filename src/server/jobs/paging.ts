/** `Page<T>` of jobs.md §12: `nextOffset` only while more matches remain (live paging). */
export type Page<T> = { entries: T[]; count: number; offset: number; limit: number; nextOffset?: number };

export function page<T>(entries: T[], count: number, offset: number, limit: number): Page<T> {
  const next = offset + limit;
  return next < count ? { entries, count, offset, limit, nextOffset: next } : { entries, count, offset, limit };
}
