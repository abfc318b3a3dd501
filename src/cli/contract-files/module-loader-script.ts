/**
 * The program the child process runs (`bun -e`): import the source, take the
 * named export (or `default`), unwrap `.CONTRACT`, check the format, and print
 * the manifest after a marker line so stray stdout from the module is ignored.
 */
export const CONTRACT_MARKER = "<<<trellis-contract>>>";

export const MODULE_LOADER_SCRIPT = `
const { pathToFileURL } = await import("node:url");
const source = process.env.TRELLIS_LOAD_SOURCE;
const exportName = process.env.TRELLIS_LOAD_EXPORT || "default";
const mod = await import(pathToFileURL(source).href);
if (!(exportName in mod)) {
  console.error("the module has no export named '" + exportName + "'");
  process.exit(3);
}
let value = mod[exportName];
if (value !== null && typeof value === "object" && "CONTRACT" in value) value = value.CONTRACT;
if (value === null || typeof value !== "object" || value.format !== "trellis.contract.v1") {
  console.error("export '" + exportName + "' is not a contract: expected the result of define*Contract(...) or an object with format 'trellis.contract.v1'");
  process.exit(3);
}
process.stdout.write("\\n${CONTRACT_MARKER}\\n" + JSON.stringify(value) + "\\n");
`;
