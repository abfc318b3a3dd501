import { headers } from "@nats-io/nats-core";
import type { ObjectStore as NatsObjectStore, Objm } from "@nats-io/obj";
import { AsyncResult, err, ok, type Result, type StoreError } from "../../contracts/index.ts";
import type { StoreBinding } from "../connect/bootstrap-schemas.ts";
import { storeError, type StoreOperation } from "./store-errors.ts";
import { CONTENT_TYPE, storeInfoOf } from "./store-info.ts";
import { listBounds, listPage } from "./store-list.ts";
import type {
  ObjectStore,
  OpenStore,
  StoreData,
  StoreEntry,
  StoreInfo,
  StoreListOptions,
  StoreListPage,
  StorePutOptions,
  StoreStatus,
  StoreWaitOptions,
} from "./store-types.ts";
import { waitFor } from "./wait-for.ts";

const encoder = new TextEncoder();
const NANOS_PER_MS = 1_000_000;

/**
 * `service.store.<alias>` over the object store the control plane created
 * (`tr_obj_<ulid>`, runtime-wire.md §6), through the nats.js object store
 * client, whose requests stay on the subjects granted for the binding: the
 * stream's info (open, status), chunk and metadata publishes, direct and
 * stream message gets, a purge of one object's chunks, and ordered push
 * consumers for reads and lists.
 */
export class StoreResource implements ObjectStore {
  constructor(
    private readonly objm: Objm,
    private readonly binding: StoreBinding,
  ) {}

  open(): AsyncResult<OpenStore, StoreError> {
    return run("open", {}, async () => {
      try {
        return ok(new OpenedStore(await this.objm.open(this.binding.name), this.binding));
      } catch (error) {
        // nats.js says "object store not found" when the stream is missing (no grant is a different failure).
        if (error instanceof Error && /not found/i.test(error.message)) {
          return err(storeError("open", "not_found", { name: this.binding.name }, error));
        }
        throw error;
      }
    });
  }
}

class OpenedStore implements OpenStore {
  constructor(
    private readonly os: NatsObjectStore,
    private readonly binding: StoreBinding,
  ) {}

  create(key: string, data: StoreData, options: StorePutOptions = {}): AsyncResult<StoreInfo, StoreError> {
    return run("create", { key }, async () => {
      const existing = await this.os.info(key);
      if (existing !== null && !existing.deleted) return err(storeError("create", "already_exists", { key }));
      // The metadata write carries the revision seen (0: none), so a racing create loses with already_exists.
      const written = await this.#put("create", key, data, options, existing?.revision ?? 0);
      return written;
    });
  }

  put(key: string, data: StoreData, options: StorePutOptions = {}): AsyncResult<StoreInfo, StoreError> {
    return run("put", { key }, () => this.#put("put", key, data, options, undefined));
  }

  get(key: string): AsyncResult<StoreEntry, StoreError> {
    return run("get", { key }, async () => {
      const found = await this.os.get(key);
      if (found === null) return err(storeError("get", "not_found", { key }));
      const data = await readAll(found.data);
      // Settles after the last chunk: null (or undefined) when every chunk and the digest checked out.
      const failed = await found.error;
      if (failed !== null && failed !== undefined) throw failed;
      return ok(Object.freeze({ info: storeInfoOf(found.info), data }));
    });
  }

  waitFor(key: string, options: StoreWaitOptions = {}): AsyncResult<StoreInfo, StoreError> {
    return run("waitFor", { key }, () => waitFor(key, () => this.#info(key), options));
  }

  delete(key: string): AsyncResult<void, StoreError> {
    return run("delete", { key }, async () => {
      if ((await this.#info(key)) === undefined) return err(storeError("delete", "not_found", { key }));
      await this.os.delete(key);
      return ok(undefined);
    });
  }

  list(options: StoreListOptions = {}): AsyncResult<StoreListPage, StoreError> {
    return run("list", {}, async () => {
      const bounds = listBounds(options);
      if (bounds.isErr()) return err(bounds.error);
      const infos = (await this.os.list()).filter((info) => !info.deleted).map(storeInfoOf);
      return ok(listPage(infos, options.prefix, bounds.value));
    });
  }

  status(): AsyncResult<StoreStatus, StoreError> {
    return run("status", {}, async () => {
      const status = await this.os.status();
      const { name, maxTotalBytes, maxObjectBytes } = this.binding;
      return ok({
        name,
        bytes: status.size,
        ttlMs: Math.round(status.ttl / NANOS_PER_MS),
        ...(maxTotalBytes === undefined ? {} : { maxTotalBytes }),
        ...(maxObjectBytes === undefined ? {} : { maxObjectBytes }),
      });
    });
  }

  async #info(key: string): Promise<StoreInfo | undefined> {
    const info = await this.os.info(key);
    return info === null || info.deleted ? undefined : storeInfoOf(info);
  }

  async #put(
    operation: StoreOperation,
    key: string,
    data: StoreData,
    options: StorePutOptions,
    previousRevision: number | undefined,
  ): Promise<Result<StoreInfo, StoreError>> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const limit = this.binding.maxObjectBytes;
    if (limit !== undefined && bytes.length > limit) {
      return err(
        storeError(operation, "max_object_bytes_exceeded", { key, size: bytes.length, maxObjectBytes: limit }),
      );
    }
    const meta = {
      name: key,
      ...(options.metadata === undefined ? {} : { metadata: { ...options.metadata } }),
      ...(options.contentType === undefined ? {} : { headers: contentTypeHeader(options.contentType) }),
    };
    try {
      const info = await this.os.putBlob(
        meta,
        bytes,
        previousRevision === undefined ? undefined : { previousRevision },
      );
      return ok(storeInfoOf(info));
    } catch (error) {
      if (previousRevision !== undefined && /wrong last sequence/i.test(String(error))) {
        return err(storeError(operation, "already_exists", { key }));
      }
      throw error;
    }
  }
}

function contentTypeHeader(contentType: string) {
  const h = headers();
  h.set(CONTENT_TYPE, contentType);
  return h;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Every call is one AsyncResult; an exception of the client is StoreError `unavailable` with its message. */
function run<T>(
  operation: StoreOperation,
  context: Record<string, unknown>,
  body: () => Promise<Result<T, StoreError>>,
): AsyncResult<T, StoreError> {
  return new AsyncResult(body().catch((error: unknown) => err(storeError(operation, "unavailable", context, error))));
}
