import type { CliFailure } from "../app/cli-failure.ts";
import type { ExitStatus } from "../app/exit-codes.ts";
import type { PlanEntry } from "./plan.ts";

/** What one `trellis generate` run reports, per entry and as a whole. */

export type StaleReason = "missing" | "changed" | "orphan";
export type StaleFile = { readonly path: string; readonly reason: StaleReason };

export type EntryAction = "generated" | "fresh" | "verified" | "up-to-date" | "stale" | "failed" | "skipped";

export type EntryOutcome = {
  readonly entry: PlanEntry;
  readonly action: EntryAction;
  readonly id?: string | undefined;
  readonly kind?: string | undefined;
  readonly digest?: string | undefined;
  readonly packageName?: string | undefined;
  /** Every output path, rendered or (fresh) recorded. */
  readonly outputs: readonly string[];
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly stale: readonly StaleFile[];
  readonly failure?: CliFailure | undefined;
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
};

export type RunTiming = {
  readonly scan: number;
  readonly load: number;
  readonly render: number;
  readonly write: number;
  readonly total: number;
};

export type RunResult = {
  readonly outcomes: readonly EntryOutcome[];
  /** Stale manifests and SDK packages of an output root this run covers completely (removed, or with `--check` reported). */
  readonly leftovers: readonly StaleFile[];
  readonly exit: ExitStatus;
  /** Each input's local import closure (the entry file first), for `--watch`. */
  readonly closures: ReadonlyMap<string, readonly string[]>;
  /** Where the time went, in milliseconds (`TRELLIS_TIMING=1` prints it). */
  readonly timing: RunTiming;
};

export type RunOptions = {
  readonly check: boolean;
  /** With `check`: still treat entries whose stamps match as fresh (`contracts list`), instead of loading them. */
  readonly useStamps?: boolean;
  readonly force: boolean;
  /** Projects whose stamps are ignored this once (watch rule 4). */
  readonly forceProjects?: ReadonlySet<string>;
  readonly cliVersion: string;
  readonly peerVersions: { readonly runtime: string; readonly valibot: string };
  readonly onOutcome?: (outcome: EntryOutcome) => void;
};
