/**
 * Where inside a value a schema difference applies, as a path of instance
 * steps (not schema keywords: `allOf`/`anyOf` are flattened by the comparer).
 * Rendered in the dotted form the docs tables also use: `items[].sku`,
 * `pair[0]`, `info.*` (any property not named), "" for the whole value.
 */
export type LocationStep =
  | { kind: "property"; name: string }
  | { kind: "other-properties" }
  | { kind: "items" }
  | { kind: "index"; index: number };

export type Location = readonly LocationStep[];

export const ROOT: Location = [];

export function renderLocation(location: Location): string {
  let text = "";
  for (const step of location) {
    switch (step.kind) {
      case "property":
        text += text === "" ? step.name : `.${step.name}`;
        break;
      case "other-properties":
        text += text === "" ? "*" : ".*";
        break;
      case "items":
        text += "[]";
        break;
      case "index":
        text += `[${step.index}]`;
        break;
    }
  }
  return text;
}
