import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { err, ok, type Result } from "../../contracts/index.ts";
import { selfCommand } from "../app/self-command.ts";
import { nearestPackageDir } from "../generate/discover.ts";

/** The service contract `trellis run` deploys, as `trellis generate` just wrote it. */
export type Prepared = {
  projectDir: string;
  contractId: string;
  digest: string;
  /** The canonical manifest (what the control plane approves). */
  manifest: Record<string, unknown>;
};

type GenerateJson = {
  results?: { id?: string; kind?: string; digest?: string; outputs?: string[]; action?: string }[];
};

/**
 * Step 1 of `run` (tooling.md §3.5, "prepare" of §2.4): `trellis generate`
 * on the module's project, as a child of this same binary (cheap and
 * idempotent: fresh entries are not even loaded), then the one service
 * contract of the project (or `contractId`) and its manifest file.
 */
export async function prepareModule(
  modulePath: string,
  contractId: string | undefined,
): Promise<Result<Prepared, string>> {
  const projectDir = nearestPackageDir(dirname(resolve(modulePath))) ?? dirname(resolve(modulePath));
  const run = await runSelf(["generate", ".", "--json"], projectDir);
  let report: GenerateJson;
  try {
    report = JSON.parse(run.stdout) as GenerateJson;
  } catch {
    return err(`trellis generate failed in ${projectDir}:\n${run.stderr.trim() || run.stdout.trim()}`);
  }
  if (run.exitCode !== 0) return err(`trellis generate failed in ${projectDir}:\n${run.stderr.trim()}`);
  const services = (report.results ?? []).filter((entry) => entry.kind === "service");
  const chosen =
    contractId === undefined
      ? services.length === 1
        ? services[0]
        : undefined
      : services.find((e) => e.id === contractId);
  if (chosen?.id === undefined || chosen.digest === undefined) {
    const found = services.map((entry) => entry.id).join(", ") || "none";
    return err(
      contractId === undefined
        ? `${projectDir} must hold exactly one service contract (found: ${found}); pick one with --contract <id>`
        : `no service contract ${contractId} in ${projectDir} (found: ${found})`,
    );
  }
  const manifestFile = (chosen.outputs ?? []).find((path) => path.endsWith(`manifests/${chosen.id}.json`));
  if (manifestFile === undefined) return err(`trellis generate wrote no manifest for ${chosen.id} (targets?)`);
  try {
    const manifest = JSON.parse(readFileSync(resolve(projectDir, manifestFile), "utf8")) as Record<string, unknown>;
    return ok({ projectDir, contractId: chosen.id, digest: chosen.digest, manifest });
  } catch (error) {
    return err(`cannot read ${manifestFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function runSelf(args: string[], cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const [command, ...prefix] = selfCommand();
  return new Promise((resolveRun) => {
    const child = spawn(command!, [...prefix, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => errOut.push(chunk));
    child.on("close", (code) =>
      resolveRun({
        exitCode: code ?? 1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(errOut).toString(),
      }),
    );
  });
}
