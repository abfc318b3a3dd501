import { statSync } from "node:fs";
import { relative } from "node:path";
import { err, ok, type Result } from "../../../contracts/index.ts";
import { usageFailure, type CliFailure } from "../../app/cli-failure.ts";
import { readContractFile, type LoadedContract } from "../../contract-files/read-contract-file.ts";
import { discoverProjects } from "../../generate/discover.ts";

/**
 * The contract `svc <id> apply` approves: a manifest or source file as
 * given, or a project directory (`--source .`, tooling.md §5), discovered as
 * `trellis generate` does (tooling.md §1) and holding exactly one service
 * contract.
 */
export async function readServiceContract(path: string): Promise<Result<LoadedContract, CliFailure>> {
  if (!isDirectory(path)) return readContractFile(path);
  const discovery = discoverProjects(path);
  if (discovery.isErr()) return err(discovery.error);
  const sources = discovery.value.projects.flatMap((project) => project.sources);
  const services: { source: string; loaded: LoadedContract }[] = [];
  for (const source of sources) {
    const loaded = await readContractFile(source);
    if (loaded.isErr()) return err(loaded.error);
    if (loaded.value.manifest.kind === "service") services.push({ source, loaded: loaded.value });
  }
  if (services.length === 1) return ok(services[0]!.loaded);
  const cited = (list: readonly string[]) => list.map((source) => relative(process.cwd(), source)).join(", ");
  return err(
    services.length === 0
      ? usageFailure(
          `${path}: no service contract found${sources.length > 0 ? ` (only ${cited(sources)})` : ""}`,
          "a project has a contract.ts or contracts/*.ts; pass the file with --source <file>",
        )
      : usageFailure(
          `${path}: ${services.length} service contracts (${cited(services.map((s) => s.source))})`,
          "name one with --source <file>",
        ),
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
