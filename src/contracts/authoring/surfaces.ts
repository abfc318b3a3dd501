import { EventSchema, FeedSchema, OperationSchema, RpcSchema } from "../manifest/schema.ts";
import type { EventDescriptor, FeedDescriptor, OperationDescriptor, RpcDescriptor } from "../manifest/types.ts";
import {
  checkMembers,
  isPlainObject,
  pickDefined,
  schemaRef,
  sectionEntries,
  type EmitContext,
  type Path,
} from "./emit-context.ts";
import { mapRpcErrors } from "./error-declarations.ts";

/**
 * Emission of the four surface sections: refs checked against the source's
 * schemas, capability lists mapped (§7.1), rpc errors mapped (§7.2), default
 * subjects (§1) and event `params` (§7.3).
 */

const RPC_MEMBERS = Object.keys(RpcSchema.entries);
const OPERATION_MEMBERS = Object.keys(OperationSchema.entries);
const EVENT_MEMBERS = Object.keys(EventSchema.entries);
const FEED_MEMBERS = Object.keys(FeedSchema.entries);

/** §1 "Default subjects", without event params. */
export function defaultSubject(
  prefix: "rpc" | "operations" | "feeds" | "events",
  version: unknown,
  name: string,
): string {
  return `${prefix}.${String(version)}.${name}`;
}

/** Pointers of the `{<pointer>}` tokens of a subject, in order. */
export function subjectParams(subject: string): string[] {
  return [...subject.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!);
}

export function emitRpcs(section: unknown, context: EmitContext): Record<string, RpcDescriptor> | undefined {
  return emitSection(section, ["rpc"], context, RPC_MEMBERS, (name, input, path) => {
    const rpc = {
      version: input.version,
      subject: input.subject ?? defaultSubject("rpc", input.version, name),
      input: schemaRef(input.input, [...path, "input"], context),
      output: schemaRef(input.output, [...path, "output"], context),
      ...mapCapabilities(input.capabilities, ["call"], [...path, "capabilities"], context),
      ...pickDefined(input, ["transfer", "internal", "docs"]),
    } as Record<string, unknown>;
    if (input.errors !== undefined)
      rpc.errors = mapRpcErrors(input.errors, context.errorClasses, [...path, "errors"], context.issues);
    return rpc as RpcDescriptor;
  });
}

export function emitOperations(
  section: unknown,
  context: EmitContext,
): Record<string, OperationDescriptor> | undefined {
  return emitSection(section, ["operations"], context, OPERATION_MEMBERS, (name, input, path) => {
    const operation = {
      version: input.version,
      subject: input.subject ?? defaultSubject("operations", input.version, name),
      input: schemaRef(input.input, [...path, "input"], context),
      ...(input.progress === undefined ? {} : { progress: schemaRef(input.progress, [...path, "progress"], context) }),
      output: schemaRef(input.output, [...path, "output"], context),
      ...mapCapabilities(
        input.capabilities,
        ["call", "observe", "cancel", "control"],
        [...path, "capabilities"],
        context,
      ),
      ...pickDefined(input, ["cancel", "transfer", "docs"]),
    } as Record<string, unknown>;
    const signals = sectionEntries(input.signals, [...path, "signals"], context);
    if (input.signals !== undefined) {
      operation.signals = Object.fromEntries(
        signals.map(([signal, body]) => [
          signal,
          {
            input: schemaRef(body.input, [...path, "signals", signal, "input"], context),
            ...pickDefined(body, ["docs"]),
          },
        ]),
      );
    }
    return operation as OperationDescriptor;
  });
}

export function emitEvents(section: unknown, context: EmitContext): Record<string, EventDescriptor> | undefined {
  return emitSection(section, ["events"], context, EVENT_MEMBERS, (name, input, path) => {
    const explicitSubject = typeof input.subject === "string" ? input.subject : undefined;
    const params = eventParams(input.params, explicitSubject, [...path, "params"], context);
    const subject =
      input.subject ?? `${defaultSubject("events", input.version, name)}${params.map((p) => `.{${p}}`).join("")}`;
    return {
      version: input.version,
      subject,
      ...(params.length > 0 ? { params } : {}),
      event: schemaRef(input.event, [...path, "event"], context),
      ...mapCapabilities(input.capabilities, ["publish", "subscribe"], [...path, "capabilities"], context),
      ...pickDefined(input, ["docs"]),
    } as EventDescriptor;
  });
}

export function emitFeeds(section: unknown, context: EmitContext): Record<string, FeedDescriptor> | undefined {
  return emitSection(section, ["feeds"], context, FEED_MEMBERS, (name, input, path) => {
    return {
      version: input.version,
      subject: input.subject ?? defaultSubject("feeds", input.version, name),
      input: schemaRef(input.input, [...path, "input"], context),
      event: schemaRef(input.event, [...path, "event"], context),
      ...mapCapabilities(input.capabilities, ["subscribe"], [...path, "capabilities"], context),
      ...pickDefined(input, ["docs"]),
    } as FeedDescriptor;
  });
}

/** Emits each entry of a section; an absent or empty section is left out. */
function emitSection<T>(
  section: unknown,
  path: Path,
  context: EmitContext,
  members: readonly string[],
  emitEntry: (name: string, input: Record<string, unknown>, path: Path) => T,
): Record<string, T> | undefined {
  const entries = sectionEntries(section, path, context);
  if (entries.length === 0) return undefined;
  const emitted: Record<string, T> = {};
  for (const [name, input] of entries) {
    const entryPath = [...path, name];
    checkMembers(input, members, entryPath, context);
    emitted[name] = emitEntry(name, input, entryPath);
  }
  return emitted;
}

/** Explicit params, else the tokens of an explicit subject, else none. Pointer checks happen in validation. */
function eventParams(params: unknown, subject: string | undefined, path: Path, context: EmitContext): string[] {
  if (params === undefined) return subject === undefined ? [] : subjectParams(subject);
  if (!Array.isArray(params) || !params.every((p) => typeof p === "string")) {
    context.issues.add(path, "must be a list of JSON Pointers");
    return [];
  }
  return [...params];
}

/** `{capabilities: {...}}` with every known list mapped, or nothing when absent. */
function mapCapabilities(
  capabilities: unknown,
  lists: readonly string[],
  path: Path,
  context: EmitContext,
): { capabilities?: Record<string, string[]> } {
  if (capabilities === undefined) return {};
  if (!isPlainObject(capabilities)) {
    context.issues.add(path, "must be an object of capability lists");
    return {};
  }
  checkMembers(capabilities, lists, path, context);
  const mapped: Record<string, string[]> = {};
  for (const list of lists) {
    if (capabilities[list] !== undefined) {
      mapped[list] = context.capabilities.mapList(capabilities[list], [...path, list], context.issues);
    }
  }
  return { capabilities: mapped };
}
