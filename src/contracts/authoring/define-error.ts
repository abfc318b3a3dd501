import * as v from "valibot";
import { ValidationError, type ValidationIssue } from "../errors/builtin.ts";
import { RESERVED_ERROR_FIELDS, TrellisError, type TrellisErrorOptions } from "../errors/trellis-error.ts";
import { pointerOf } from "../json/pure-json.ts";
import { err, ok, type Result } from "../result/result.ts";
import { IssueCollector } from "./contract-definition-error.ts";

/** The type-specific fields of a declared error, as valibot schemas. */
export type ErrorFieldSchemas = v.ObjectEntries;

/** Envelope names a field may not take (runtime-wire.md §1.4). */
export type ReservedErrorField = "id" | "type" | "message" | "context" | "traceId" | "cause";

/** Field values, as handlers pass them and as instances expose them. */
export type ErrorFields<TFields extends ErrorFieldSchemas> = v.InferOutput<v.ObjectSchema<TFields, undefined>>;

type ErrorEnvelopeEntries<TType extends string> = {
  readonly id: v.StringSchema<undefined>;
  readonly type: v.LiteralSchema<TType, undefined>;
  readonly message: v.StringSchema<undefined>;
};
type ErrorTrailerEntries = {
  readonly context: v.OptionalSchema<v.RecordSchema<v.StringSchema<undefined>, v.UnknownSchema, undefined>, undefined>;
  readonly traceId: v.OptionalSchema<v.StringSchema<undefined>, undefined>;
};

/** The wire shape of a declared error: the envelope, the fields, optional `context`/`traceId`. */
export type ErrorDataSchema<TType extends string, TFields extends ErrorFieldSchemas> = v.ObjectSchema<
  ErrorEnvelopeEntries<TType> & TFields & ErrorTrailerEntries,
  undefined
>;
export type ErrorData<TType extends string, TFields extends ErrorFieldSchemas> = v.InferOutput<
  ErrorDataSchema<TType, TFields>
>;

/** An instance of a `defineError` class: a TrellisError with its fields as properties. */
export type DefinedError<TType extends string, TFields extends ErrorFieldSchemas> = TrellisError<TType> &
  Readonly<ErrorFields<TFields>> & {
    readonly type: TType;
    toJSON(): ErrorData<TType, TFields>;
  };

export type DefinedErrorOptions = TrellisErrorOptions & {
  /** Keeps the message of an error rebuilt from wire data instead of rendering a new one. */
  message?: string;
};

/** Field values may be left out when no field is required. */
type ConstructorArgs<TFields extends ErrorFieldSchemas> =
  {} extends ErrorFields<TFields>
    ? [fields?: ErrorFields<TFields>, options?: DefinedErrorOptions]
    : [fields: ErrorFields<TFields>, options?: DefinedErrorOptions];

/**
 * What the contract model and clients need from a declared error class: its
 * wire `type`, the schema of its wire data, and a way to rebuild an instance
 * from that data (runtime-wire.md §1.7 5b).
 */
export interface WireErrorClass<TType extends string = string, TInstance extends TrellisError = TrellisError> {
  readonly type: TType;
  readonly schema: v.GenericSchema;
  fromData(data: unknown): Result<TInstance, ValidationError>;
}

export interface DefinedErrorClass<TType extends string, TFields extends ErrorFieldSchemas> extends WireErrorClass<
  TType,
  DefinedError<TType, TFields>
> {
  new (...args: ConstructorArgs<TFields>): DefinedError<TType, TFields>;
  readonly prototype: DefinedError<TType, TFields>;
  readonly schema: ErrorDataSchema<TType, TFields>;
  readonly fieldSchemas: TFields;
}

export type ErrorMessage<TFields extends ErrorFieldSchemas> = string | ((fields: ErrorFields<TFields>) => string);

export interface ErrorSpec<TType extends string, TFields extends ErrorFieldSchemas> {
  type: TType;
  /** Type-specific fields; envelope names are refused in the types and at runtime. */
  fields?: TFields & { readonly [K in ReservedErrorField]?: never };
  message: ErrorMessage<TFields>;
}

/**
 * Declares an error type (runtime-wire.md §1.6). The class extends
 * TrellisError, exposes its fields as properties, serializes them in
 * `toJSON()`, and carries `type`, `schema` and `fromData` statically so a
 * client can rebuild it from wire data.
 */
export function defineError<const TType extends string, const TFields extends ErrorFieldSchemas = {}>(
  spec: ErrorSpec<TType, TFields>,
): DefinedErrorClass<TType, TFields> {
  const { type, message } = spec;
  const fieldSchemas = (spec.fields ?? {}) as TFields;
  checkErrorSpec(type, fieldSchemas);
  const fieldNames = Object.keys(fieldSchemas);
  const schema = v.object({
    id: v.string(),
    type: v.literal(type),
    message: v.string(),
    ...fieldSchemas,
    context: v.optional(v.record(v.string(), v.unknown())),
    traceId: v.optional(v.string()),
  }) as unknown as ErrorDataSchema<TType, TFields>;
  const render = (values: ErrorFields<TFields>): string => (typeof message === "string" ? message : message(values));

  class DeclaredError extends TrellisError<TType> {
    static readonly type = type;
    static readonly schema = schema;
    static readonly fieldSchemas = fieldSchemas;
    readonly type = type;

    constructor(values?: ErrorFields<TFields>, options: DefinedErrorOptions = {}) {
      const fields = (values ?? {}) as ErrorFields<TFields>;
      super(options.message ?? render(fields), options);
      for (const name of fieldNames) {
        Object.defineProperty(this, name, { value: (fields as Record<string, unknown>)[name], enumerable: true });
      }
    }

    protected override fields(): Record<string, unknown> {
      const self = this as unknown as Record<string, unknown>;
      const present: Record<string, unknown> = {};
      for (const name of fieldNames) if (self[name] !== undefined) present[name] = self[name];
      return present;
    }

    static fromData(data: unknown): Result<DefinedError<TType, TFields>, ValidationError> {
      const parsed = v.safeParse(schema, data);
      if (!parsed.success) return err(new ValidationError(parsed.issues.map(toValidationIssue)));
      const wire = parsed.output as Record<string, unknown> & { id: string; message: string };
      const values: Record<string, unknown> = {};
      for (const name of fieldNames) if (wire[name] !== undefined) values[name] = wire[name];
      const options: DefinedErrorOptions = { id: wire.id, message: wire.message };
      if (wire.context !== undefined) options.context = wire.context as Record<string, unknown>;
      if (wire.traceId !== undefined) options.traceId = wire.traceId as string;
      return ok(new DeclaredError(values as ErrorFields<TFields>, options) as unknown as DefinedError<TType, TFields>);
    }
  }
  Object.defineProperty(DeclaredError, "name", { value: type });
  return DeclaredError as unknown as DefinedErrorClass<TType, TFields>;
}

/** Rejects an empty type and field names that would clash with the envelope or the class. */
function checkErrorSpec(type: unknown, fields: ErrorFieldSchemas): void {
  const issues = new IssueCollector();
  if (typeof type !== "string" || type.length === 0) issues.add(["type"], "must be a non-empty string");
  for (const name of Object.keys(fields)) {
    if (RESERVED_ERROR_FIELDS.includes(name)) {
      issues.add(["fields", name], `'${name}' is reserved by the error envelope (${RESERVED_ERROR_FIELDS.join(", ")})`);
    } else if (name in TrellisError.prototype || name === "stack") {
      issues.add(["fields", name], `'${name}' would shadow a member of the error class`);
    }
  }
  issues.throwIfAny(typeof type === "string" ? `error '${type}'` : "error");
}

function toValidationIssue(issue: v.BaseIssue<unknown>): ValidationIssue {
  const path = (issue.path ?? []).map((item) => String(item.key));
  return { path: pointerOf(path), message: issue.message };
}
