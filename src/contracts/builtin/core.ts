import * as v from "valibot";
import { defineServiceContract } from "../authoring/define-contract.ts";

const CatalogEntrySchema = v.object({
  id: v.string(),
  digest: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/)),
  displayName: v.string(),
  description: v.string(),
});

const CatalogIssueSchema = v.object({
  kind: v.picklist([
    "missing-active-contract",
    "invalid-active-contract",
    "incompatible-active-contract",
    "invalid-active-contract-uses",
  ]),
  contractId: v.string(),
  digest: v.optional(v.string()),
  message: v.string(),
});

export const CatalogResultSchema = v.object({
  catalog: v.object({
    format: v.literal("trellis.catalog.v1"),
    contracts: v.array(CatalogEntrySchema),
    issues: v.optional(v.array(CatalogIssueSchema)),
  }),
});

/** A normalized manifest; its own rules are checked by `parseManifest`, not by this schema. */
export const ContractDocumentSchema = v.looseObject({ format: v.literal("trellis.contract.v1"), id: v.string() });

const defineCoreContract = () =>
  defineServiceContract(
    {
      schemas: {
        Empty: v.object({}),
        CatalogResult: CatalogResultSchema,
        ContractGet: v.object({ digest: v.string() }),
        ContractGetResult: v.object({ contract: ContractDocumentSchema }),
      },
    },
    (ref) => ({
      id: "trellis.core@v1",
      displayName: "Trellis core",
      description: "The catalog of active contracts and contract lookup by digest.",
      capabilities: {
        "catalog.read": {
          displayName: "Read the catalog",
          description: "List the active contracts and their digests.",
        },
        "contract.read": { displayName: "Read contracts", description: "Fetch any active contract by digest." },
      },
      rpc: {
        "Trellis.Catalog": {
          version: "v1",
          input: ref.schema("Empty"),
          output: ref.schema("CatalogResult"),
          capabilities: { call: ["catalog.read"] },
          errors: [ref.error("AuthError"), ref.error("UnexpectedError")],
        },
        "Trellis.Contract.Get": {
          version: "v1",
          input: ref.schema("ContractGet"),
          output: ref.schema("ContractGetResult"),
          capabilities: { call: ["contract.read"] },
          errors: [ref.error("AuthError"), ref.error("ValidationError"), ref.error("UnexpectedError")],
        },
      },
    }),
  );

export type CoreContract = ReturnType<typeof defineCoreContract>;
let coreContractModule: CoreContract | undefined;

/** `trellis.core@v1` (contracts.md §6): the catalog of active contracts and contract lookup by digest. */
export function coreContract(): CoreContract {
  coreContractModule ??= defineCoreContract();
  return coreContractModule;
}
