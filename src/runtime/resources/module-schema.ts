import type { SurfaceSchema, ValibotSchema } from "../../contracts/index.ts";
import type { RuntimeContract } from "../facade/contract-shape.ts";

/** The module's valibot schema named `name`, if it has one (anything else in `SCHEMAS` is ignored). */
export function moduleSchema(contract: RuntimeContract, name: string): SurfaceSchema {
  const candidate = contract.SCHEMAS?.[name];
  return typeof candidate === "object" && candidate !== null && "~run" in candidate
    ? (candidate as ValibotSchema)
    : undefined;
}
