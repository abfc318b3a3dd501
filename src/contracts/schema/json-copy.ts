/**
 * A deep copy of a pure JSON value (an embedded schema). Keys are defined,
 * not assigned, so an own `__proto__` member stays a member instead of
 * replacing the prototype. Faster than `structuredClone` for plain JSON.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = copyJson((value as Record<string, unknown>)[key]);
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    else out[key] = child;
  }
  return out as T;
}
