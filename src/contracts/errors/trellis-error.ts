import { ulid } from "ulid";

/** The serialized form every Trellis error takes on the wire (runtime-wire.md §1.4). */
export type TrellisErrorData = {
  id: string;
  type: string;
  message: string;
  context?: Record<string, unknown>;
  traceId?: string;
  [field: string]: unknown;
};

export type TrellisErrorOptions = {
  /** Keep the id of an error that arrived over the wire; new errors mint a ULID. */
  id?: string;
  context?: Record<string, unknown>;
  traceId?: string;
  cause?: unknown;
};

/** Names a type-specific field may not take, because the envelope uses them. */
export const RESERVED_ERROR_FIELDS: readonly string[] = ["id", "type", "message", "context", "traceId", "cause"];

/**
 * Base of every error a Trellis API returns in a `Result`. Subclasses fix
 * `type` (the wire discriminator) and list their own fields in `fields()`.
 */
export abstract class TrellisError<TType extends string = string> extends Error {
  abstract readonly type: TType;
  readonly id: string;
  context: Record<string, unknown> | undefined;
  traceId: string | undefined;

  constructor(message: string, options: TrellisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.id = options.id ?? ulid();
    this.context = options.context;
    this.traceId = options.traceId;
  }

  override get name(): string {
    return this.type;
  }

  /** Type-specific fields, serialized beside the envelope. */
  protected fields(): Record<string, unknown> {
    return {};
  }

  /** Merges `extra` into this error's context (errors are annotated in place as they travel up). */
  withContext(extra: Record<string, unknown>): this {
    this.context = { ...this.context, ...extra };
    return this;
  }

  toJSON(): TrellisErrorData {
    const data: TrellisErrorData = { id: this.id, type: this.type, message: this.message, ...this.fields() };
    if (this.context !== undefined) data.context = this.context;
    if (this.traceId !== undefined) data.traceId = this.traceId;
    return data;
  }
}

/** A payload is a Trellis error iff `id`, `type` and `message` are strings (§1.4). */
export function isTrellisErrorData(value: unknown): value is TrellisErrorData {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === "string" && typeof record.type === "string" && typeof record.message === "string";
}
