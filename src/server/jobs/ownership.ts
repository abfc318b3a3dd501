import * as v from "valibot";
import { METADATA, type JobsDb } from "./jobs-db.ts";

export const DEFAULT_LEASE_MS = 15_000;

const LeaseSchema = v.object({ instanceId: v.string(), until: v.number() });

/**
 * Exactly one owner per database (jobs.md §10): a replica configured as
 * `owner` runs the loops only while it holds this lease, a row of the
 * database itself (`projection_metadata.owner_lease`), taken and renewed in
 * an immediate transaction. Replicas sharing the file therefore elect one
 * owner among themselves and the others serve RPCs; when the owner stops
 * renewing, the next one takes over within a lease. Replicas with separate
 * files must be configured so that only one is `owner` (design/jobs-admin.md).
 */
export class OwnerLease {
  constructor(
    private readonly db: JobsDb,
    readonly instanceId: string,
    private readonly leaseMs: number = DEFAULT_LEASE_MS,
  ) {}

  /** Takes or renews the lease; false while another live replica holds it. */
  tryAcquire(now: number = Date.now()): boolean {
    return this.db.db
      .transaction(() => {
        const holder = this.holder();
        if (holder !== undefined && holder.instanceId !== this.instanceId && holder.until > now) return false;
        this.db.setMetadata(
          METADATA.ownerLease,
          JSON.stringify({ instanceId: this.instanceId, until: now + this.leaseMs }),
        );
        return true;
      })
      .immediate();
  }

  holder(): v.InferOutput<typeof LeaseSchema> | undefined {
    const raw = this.db.metadata(METADATA.ownerLease);
    if (raw === undefined) return undefined;
    try {
      const parsed = v.safeParse(LeaseSchema, JSON.parse(raw));
      return parsed.success ? parsed.output : undefined;
    } catch {
      return undefined;
    }
  }

  /** Gives the lease up at stop so a standby need not wait for it to run out. */
  release(): void {
    this.db.db
      .transaction(() => {
        if (this.holder()?.instanceId === this.instanceId) {
          this.db.db.query("DELETE FROM projection_metadata WHERE name = ?").run(METADATA.ownerLease);
        }
      })
      .immediate();
  }
}
