import { pointerOf } from "../json/pure-json.ts";

/**
 * A JSON path as a parent-linked list: extending it is O(1), so walks over
 * deeply nested values stay linear; the pointer is built only when needed.
 */
export type PathNode = { readonly parent: PathNode | undefined; readonly token: string | number } | undefined;

export function childPath(parent: PathNode, token: string | number): PathNode {
  return { parent, token };
}

export function pathTokens(node: PathNode): (string | number)[] {
  const tokens: (string | number)[] = [];
  for (let at = node; at !== undefined; at = at.parent) tokens.push(at.token);
  return tokens.reverse();
}

export function pathPointer(node: PathNode): string {
  return pointerOf(pathTokens(node));
}
