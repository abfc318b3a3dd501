/** The keys of two versions of a map: removed, added and kept, each sorted by code unit. */
export type KeyDiff = { removed: string[]; added: string[]; kept: string[] };

export function diffKeys(before: object | undefined, after: object | undefined): KeyDiff {
  const old = new Set(Object.keys(before ?? {}));
  const now = new Set(Object.keys(after ?? {}));
  return {
    removed: [...old].filter((key) => !now.has(key)).sort(compareText),
    added: [...now].filter((key) => !old.has(key)).sort(compareText),
    kept: [...now].filter((key) => old.has(key)).sort(compareText),
  };
}

/** Members of two lists: removed and added, sorted. */
export function diffLists(
  before: readonly string[] | undefined,
  after: readonly string[] | undefined,
): { removed: string[]; added: string[] } {
  const old = new Set(before ?? []);
  const now = new Set(after ?? []);
  return {
    removed: [...old].filter((item) => !now.has(item)).sort(compareText),
    added: [...now].filter((item) => !old.has(item)).sort(compareText),
  };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function quoteList(items: readonly string[]): string {
  return items.map((item) => `'${item}'`).join(", ");
}
