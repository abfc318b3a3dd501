import type { NormalizedManifest } from "../manifest/types.ts";
import { authContract } from "./auth.ts";
import { coreContract } from "./core.ts";
import { healthContract } from "./health.ts";
import { jobsContract } from "./jobs.ts";
import { stateContract } from "./state.ts";

/**
 * The platform's own contracts, written as sources like any other. Baseline
 * uses point at these, so resolving any contract needs them active. Each is
 * built on first use: defining a contract emits JSON Schemas and digests the
 * manifest, which commands like `trellis version` should not pay for.
 */
export function builtinContracts() {
  return [coreContract(), authContract(), healthContract(), stateContract(), jobsContract()] as const;
}

export function builtinManifests(): NormalizedManifest[] {
  return builtinContracts().map((module) => module.CONTRACT);
}

export function builtinEntries(): { digest: string; manifest: NormalizedManifest }[] {
  return builtinContracts().map((module) => ({ digest: module.CONTRACT_DIGEST, manifest: module.CONTRACT }));
}
