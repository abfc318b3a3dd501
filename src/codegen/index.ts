// Public surface of code generation: everything outside src/codegen/ imports from here.
export { docsFileName, renderContractDocs } from "./docs/render-docs.ts";
