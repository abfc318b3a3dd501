// Public surface of the contract model: everything outside src/contracts/
// imports from here and nowhere else.
export * from "./errors/trellis-error.ts";
export * from "./errors/builtin.ts";
export * from "./result/result.ts";
export * from "./result/async-result.ts";
export * from "./json/pure-json.ts";
export * from "./json/canonical.ts";
export * from "./json/digest.ts";
export * from "./manifest/types.ts";
export * from "./subjects/wildcard.ts";
