// Public surface of code generation: everything outside src/codegen/ imports from here.
export { docsFileName, renderContractDocs } from "./docs/render-docs.ts";

// SDK packages (targets `ts` and `npm`, the latter compiled by the CLI) and manifest files (target `manifest`), tooling.md §2.
export { renderSdkPackage, type RenderedFile, type RenderedPackage } from "./sdk/render-sdk.ts";
export { packageOfSpecifier } from "./sdk/render-package.ts";
export type { SdkInput } from "./sdk/model.ts";
export { dependencyIds, renderManifestFile } from "./manifest-file.ts";
export {
  accessorPath,
  DEFAULT_PACKAGE_PREFIX,
  lowerCamelCase,
  packageDirOf,
  packageNameFor,
  packageNameProblem,
  pascalCase,
  type PackageNaming,
} from "./naming.ts";
