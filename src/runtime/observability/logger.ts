import { hostname } from "node:os";

/**
 * The runtime's logging surface: pino's `(fields, message)` call shape, so a
 * pino logger can be passed in as is. The default writes pino-compatible JSON
 * lines to stderr (runtime-wire.md §5).
 */
export interface Logger {
  trace(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

/** pino's numeric levels. */
const LEVELS: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/** Field names whose values are secrets (auth.md §1: seeds, tokens and proofs are never logged). */
const SECRET_FIELDS = new Set([
  "seed",
  "sessionkeyseed",
  "proof",
  "auth_token",
  "authtoken",
  "token",
  "sig",
  "password",
  "jwt",
]);
const REDACTED = "[redacted]";

export function levelFromEnv(value: string | undefined = process.env.PINO_LEVEL): LogLevel {
  const wanted = value?.trim().toLowerCase();
  return wanted !== undefined && Object.hasOwn(LEVELS, wanted) ? (wanted as LogLevel) : "info";
}

export type JsonLoggerOptions = {
  level?: LogLevel;
  /** Where lines go; stderr by default (stdout belongs to the program). */
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
};

/** A tiny pino-compatible JSON logger: `{"level":30,"time":…,"pid":…,"hostname":…,…,"msg":"…"}` per line. */
export function createLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? levelFromEnv()];
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const base = { pid: process.pid, hostname: hostname(), ...options.bindings };
  const make = (bindings: Record<string, unknown>): Logger => {
    const emit = (level: number) => (fields: Record<string, unknown>, message: string) => {
      if (level < threshold) return;
      write(`${serialize({ level, time: Date.now(), ...bindings, ...fields, msg: message })}\n`);
    };
    return {
      trace: emit(LEVELS.trace),
      debug: emit(LEVELS.debug),
      info: emit(LEVELS.info),
      warn: emit(LEVELS.warn),
      error: emit(LEVELS.error),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return make(base);
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ level: "silent" });

function serialize(record: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(record, function (key, value: unknown) {
      if (key !== "" && SECRET_FIELDS.has(key.toLowerCase())) return REDACTED;
      if (value instanceof Error) return serializeError(value);
      if (typeof value === "bigint") return value.toString();
      if (typeof value === "object" && value !== null) {
        if (seen.has(value)) return "[circular]";
        seen.add(value);
      }
      return value;
    });
  } catch {
    return JSON.stringify({
      level: record.level,
      time: record.time,
      msg: record.msg,
      logError: "unserializable fields",
    });
  }
}

/** Errors log as their wire form (Trellis errors) or `{type, message}`, never with a stack of secrets in a cause. */
function serializeError(error: Error): Record<string, unknown> {
  const toJSON = (error as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return toJSON.call(error) as Record<string, unknown>;
  return { type: error.name, message: error.message, stack: error.stack };
}
