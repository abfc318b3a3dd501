import type { NormalizedManifest } from "../../contracts/index.ts";
import {
  capabilitiesSection,
  errorsSection,
  exportsSection,
  headerSection,
  overviewSection,
  usesSection,
} from "./contract-sections.ts";
import { DocsContext } from "./context.ts";
import { consumersSection, jobsSection, resourcesSection, stateSection } from "./owner-sections.ts";
import { eventsSection, feedsSection, operationsSection, rpcSection } from "./surface-sections.ts";

/**
 * The Markdown reference of one contract: identity, capabilities, every
 * surface with its subject, gates, errors and schema tables, then what the
 * owner runs and keeps (jobs, consumer groups, resources, state), its
 * dependencies, errors and exported schemas.
 *
 * Pure and deterministic: every map is listed in code-unit order of its
 * keys, so a manifest and the source it came from give the same bytes, on
 * any machine; LF line ends and one final newline.
 */
export function renderContractDocs(manifest: NormalizedManifest, digest: string): string {
  const ctx = new DocsContext(manifest);
  const blocks = [
    ...headerSection(ctx, digest),
    ...overviewSection(ctx),
    ...capabilitiesSection(ctx),
    ...rpcSection(ctx),
    ...operationsSection(ctx),
    ...eventsSection(ctx),
    ...feedsSection(ctx),
    ...errorsSection(ctx),
    ...jobsSection(ctx),
    ...consumersSection(ctx),
    ...resourcesSection(ctx),
    ...stateSection(ctx),
    ...usesSection(ctx),
    ...exportsSection(ctx),
  ];
  return `${blocks.join("\n\n")}\n`;
}

/** Where `trellis generate --targets docs` puts a contract's reference, relative to `generated/docs/`. */
export function docsFileName(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._@-]/g, "_")}.md`;
}
