/**
 * `W(s)` of contracts.md: the subject with every `{...}` template token
 * replaced by `*`. Only whole-token templates exist in valid manifests; a
 * token that merely contains braces is left alone (validation reports it).
 */
export function wildcardSubject(subject: string): string {
  return subject
    .split(".")
    .map((token) => (isTemplateToken(token) ? "*" : token))
    .join(".");
}

export function isTemplateToken(token: string): boolean {
  return token.length >= 2 && token.startsWith("{") && token.endsWith("}");
}

/**
 * Whether two NATS subjects can match a common concrete subject, token by
 * token, with `*` matching any one token and `>` one or more trailing ones.
 */
export function subjectsOverlap(a: string, b: string): boolean {
  const left = a.split(".");
  const right = b.split(".");
  for (let i = 0; ; i++) {
    const x = left[i];
    const y = right[i];
    if (x === ">" || y === ">") return x !== undefined && y !== undefined;
    if (x === undefined || y === undefined) return x === y;
    if (x !== y && x !== "*" && y !== "*") return false;
  }
}
