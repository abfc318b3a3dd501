import type { JsonValue } from "../json/pure-json.ts";
import type { NormalizedManifest, RpcDescriptor } from "../manifest/types.ts";
import { compareGate } from "./compare-capabilities.ts";
import { compareSubject } from "./surface-subject.ts";
import { schemaOf, type CompareContext } from "./context.ts";
import type { SurfaceRef } from "./finding.ts";
import { diffLists } from "./keyed.ts";
import { CALLER_RECEIVES, CALLER_SENDS, compareSchemaAt } from "./schema-position.ts";

export function compareRpc(ctx: CompareContext, name: string, before: RpcDescriptor, after: RpcDescriptor): void {
  const surface: SurfaceRef = { kind: "rpc", name };
  const at = (...path: string[]) => ["rpc", name, ...path];
  compareSubject(ctx, "rpc", "rpc", name, before.subject, after.subject);
  compareSchemaAt(ctx, {
    path: at("input"),
    surface,
    label: "input",
    before: schemaOf(ctx.before, before.input),
    after: schemaOf(ctx.after, after.input),
    rule: { caller: CALLER_SENDS },
  });
  compareSchemaAt(ctx, {
    path: at("output"),
    surface,
    label: "output",
    before: schemaOf(ctx.before, before.output),
    after: schemaOf(ctx.after, after.output),
    rule: { caller: CALLER_RECEIVES },
  });
  compareGate(ctx, {
    path: at("capabilities", "call"),
    surface,
    gate: "call",
    before: before.capabilities?.call ?? [],
    after: after.capabilities?.call ?? [],
  });

  // The wire error set stays open (runtime-wire.md §1.6): an undeclared type reaches old callers as RemoteError.
  const errors = diffLists(
    before.errors?.map((error) => error.type),
    after.errors?.map((error) => error.type),
  );
  for (const type of errors.added) {
    ctx.add({
      path: at("errors"),
      surface,
      change: "rpc.error-added",
      message: `declares error '${type}' (old callers see it as RemoteError, which they already handle)`,
    });
  }
  for (const type of errors.removed) {
    ctx.add({
      path: at("errors"),
      surface,
      change: "rpc.error-removed",
      message: `no longer declares error '${type}': generated clients drop its type, so callers that handle it stop compiling, and if it is still sent they get RemoteError`,
      caller: "breaking",
    });
  }

  if (before.transfer === undefined && after.transfer !== undefined) {
    ctx.add({
      path: at("transfer"),
      surface,
      change: "rpc.transfer-added",
      message: "now answers with a download grant (transfer receive): the client API and the output handling change",
      caller: "breaking",
    });
  } else if (before.transfer !== undefined && after.transfer === undefined) {
    ctx.add({
      path: at("transfer"),
      surface,
      change: "rpc.transfer-removed",
      message: "no longer answers with a download grant: callers that download from it break",
      caller: "breaking",
    });
  }
}

export function rpcSignature(m: NormalizedManifest, rpc: RpcDescriptor): JsonValue {
  return { input: schemaOf(m, rpc.input), output: schemaOf(m, rpc.output) } as JsonValue;
}
