import { jetstream } from "@nats-io/jetstream";
import { Bucket, Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { Objm } from "@nats-io/obj";
import {
  err,
  ok,
  RUNTIME_DEFAULTS,
  ValidationError,
  type Result,
  type ValidationIssue,
} from "../../contracts/index.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";
import { checkStoredFilter, checkStoredKey } from "../kv/kv-keys.ts";
import { KvResource } from "../kv/kv-resource.ts";
import type { KvStore } from "../kv/kv-types.ts";
import type { Logger } from "../observability/logger.ts";
import type { ServiceBindings } from "../service/service-options.ts";
import { StoreResource } from "../store/store-resource.ts";
import type { ObjectStore } from "../store/store-types.ts";
import { moduleSchema } from "./module-schema.ts";
import { valueCheck } from "./value-check.ts";

/** The handles of a service's declared resources; an optional one without a binding is absent. */
export type BoundResources = {
  kv: Readonly<Record<string, KvStore<unknown>>>;
  store: Readonly<Record<string, ObjectStore>>;
};

/**
 * Binds every declared kv and store resource to what the control plane
 * materialized (runtime-wire.md §6: "All declared resources MUST be
 * materialized before the service is ready"). A required resource without a
 * binding fails the start with a ValidationError naming it; an optional one
 * gets no handle. Binding does no I/O: the JetStream client asks nothing of
 * the server until a handle is used (no `$JS.API.INFO`, no stream lookups).
 */
export async function bindResources(
  nc: NatsConnection,
  contract: RuntimeContract,
  bindings: ServiceBindings,
  logger: Logger,
): Promise<Result<BoundResources, ValidationError>> {
  const manifest = contract.CONTRACT;
  const issues: ValidationIssue[] = [];
  const js = jetstream(nc, { checkAPI: false });
  const kv: Record<string, KvStore<unknown>> = {};
  const store: Record<string, ObjectStore> = {};

  for (const [alias, declaration] of Object.entries(manifest.resources?.kv ?? {})) {
    const binding = bindings.kv?.[alias];
    if (binding === undefined) {
      if (declaration.required ?? RUNTIME_DEFAULTS.kv.required) issues.push(missing("kv", alias));
      continue;
    }
    const name = declaration.schema.schema;
    // Every reconciled bucket allows direct gets, so reads are served by any replica.
    const bucket = await new Kvm(js).open(binding.bucket, { allow_direct: true });
    // nats.js's own key rule is narrower than §6's encoding (design/runtime.md "kv resources").
    if (bucket instanceof Bucket) {
      bucket.validateKey = checkStoredKey;
      bucket.validateSearchKey = checkStoredFilter;
    }
    kv[alias] = new KvResource(
      bucket,
      binding,
      valueCheck(moduleSchema(contract, name), manifest, name),
      logger.child({ kv: alias }),
    );
  }
  for (const [alias, declaration] of Object.entries(manifest.resources?.store ?? {})) {
    const binding = bindings.store?.[alias];
    if (binding === undefined) {
      if (declaration.required ?? RUNTIME_DEFAULTS.store.required) issues.push(missing("store", alias));
      continue;
    }
    store[alias] = new StoreResource(new Objm(js), binding);
  }
  if (issues.length > 0) return err(new ValidationError(issues));
  return ok({ kv: Object.freeze(kv), store: Object.freeze(store) });
}

function missing(kind: "kv" | "store", alias: string): ValidationIssue {
  return {
    path: `/bindings/${kind}/${alias}`,
    message: `the required ${kind} resource '${alias}' has no binding: it is not materialized (approve this digest so reconciliation creates it)`,
  };
}
