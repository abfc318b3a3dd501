/**
 * `NS(id)` of contracts.md: the id without its trailing `@v<digits>`.
 * (Kept local until the manifest module's `contractNamespace` lands.)
 */
export function contractNamespace(id: string): string {
  return id.replace(/@v[0-9]+$/, "");
}
