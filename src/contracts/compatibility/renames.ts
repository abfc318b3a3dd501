/**
 * A rename is a removal plus an addition; when the two carry identical
 * schemas the findings say "possibly renamed" so a reader sees the pair.
 * `signature` is the canonical text of what identifies the entry's shape.
 */
export type RenameHints = { to: (removed: string) => string; from: (added: string) => string };

export function renameHints(
  removed: readonly string[],
  added: readonly string[],
  signature: (name: string, side: "before" | "after") => string,
): RenameHints {
  const bySignature = new Map<string, string[]>();
  for (const name of added) {
    const key = signature(name, "after");
    bySignature.set(key, [...(bySignature.get(key) ?? []), name]);
  }
  const to = new Map<string, string[]>();
  const from = new Map<string, string[]>();
  for (const name of removed) {
    const matches = bySignature.get(signature(name, "before")) ?? [];
    if (matches.length === 0) continue;
    to.set(name, matches);
    for (const match of matches) from.set(match, [...(from.get(match) ?? []), name]);
  }
  const hint = (names: string[] | undefined, word: string) =>
    names === undefined ? "" : `; possibly renamed ${word} ${names.map((n) => `'${n}'`).join(" or ")} (same schemas)`;
  return { to: (name) => hint(to.get(name), "to"), from: (name) => hint(from.get(name), "from") };
}
