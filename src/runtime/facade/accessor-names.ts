/**
 * Accessor names of tooling.md §2.2, shared with generated SDKs so that a
 * source module and an SDK expose the same facade: Pascal case splits on `.`
 * and other non-alphanumerics and capitalises only the first letter of each
 * part (`Jobs.ListDLQ` → `JobsListDLQ`); lowerCamel lowers the first letter;
 * `A.B.C` → `<lowerCamel(A)>.<lowerCamel(B.C)>` and a single-part name is
 * both (`Ping` → `ping.ping`).
 */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

export function lowerCamel(name: string): string {
  const pascal = pascalCase(name);
  return pascal === "" ? "" : pascal[0]!.toLowerCase() + pascal.slice(1);
}

export function accessorPath(name: string): [group: string, leaf: string] {
  const dot = name.indexOf(".");
  const group = dot === -1 ? name : name.slice(0, dot);
  const leaf = dot === -1 ? name : name.slice(dot + 1);
  return [member(lowerCamel(group)), member(lowerCamel(leaf))];
}

/** A part made only of separators would be empty; generated SDKs call it `x` too. */
const member = (name: string): string => (name === "" ? "x" : name);

export type AccessorTree<TValue> = Record<string, Record<string, TValue>>;

/**
 * Groups a section's surfaces by accessor. Two names with the same accessor
 * (`Orders.Create`, `Orders.create`) are told apart the way generated SDKs
 * do it: in sorted name order the first keeps the leaf, later ones get `2`,
 * `3`, ... (the typed facade cannot express the suffix; such names are best avoided).
 */
export function buildAccessors<TSurface, TValue>(
  surfaces: Readonly<Record<string, TSurface>>,
  make: (surface: TSurface, name: string) => TValue,
): AccessorTree<TValue> {
  const tree: AccessorTree<TValue> = {};
  for (const name of Object.keys(surfaces).sort()) {
    const [group, base] = accessorPath(name);
    const leaves = (tree[group] ??= {});
    let leaf = base;
    for (let n = 2; Object.hasOwn(leaves, leaf); n++) leaf = `${base}${n}`;
    leaves[leaf] = make(surfaces[name]!, name);
  }
  return tree;
}
