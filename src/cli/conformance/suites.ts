import { runAuthProofVector } from "./auth-proof-suite.ts";
import { runCanonicalJsonVector } from "./canonical-json-suite.ts";
import { runContractDigestVector } from "./contract-digest-suite.ts";
import type { Suite } from "./types.ts";

/** Vector files are dispatched on the name of the folder that holds them. */
export const SUITES: readonly Suite[] = [
  { name: "canonical-json", run: runCanonicalJsonVector },
  { name: "contract-digest", run: runContractDigestVector },
  { name: "auth-proof", run: runAuthProofVector },
];
