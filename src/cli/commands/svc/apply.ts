import { createInterface } from "node:readline/promises";
import { authContract, err, ok } from "../../../contracts/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { listFlag, type CommandOutcome } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { renderTable, writeJson, writeResult } from "../../app/output.ts";
import { readContractFile } from "../../contract-files/read-contract-file.ts";
import { renderPermissions } from "../../inspect/render-summary.ts";
import { callFailure } from "../../session/call-failure.ts";
import { readServiceContract } from "./service-source.ts";
import { withSession } from "./with-session.ts";

type ApplyArgs = {
  file?: string | undefined;
  manifest?: string | undefined;
  source?: string | undefined;
  yes?: boolean | undefined;
  replace?: boolean | undefined;
  "dry-run"?: boolean | undefined;
  json?: boolean | undefined;
};

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * `trellis svc <id> apply` (auth.md §6.3): the server plans the approval
 * (dry run) and the CLI shows the derived permissions and the capabilities
 * asked for; a different digest of an approved contract must be accepted
 * (`--yes`, a TTY prompt, else exit 2); then it is recorded.
 */
export async function runApply(id: string, args: ApplyArgs, rawArgs: readonly string[]): Promise<CommandOutcome> {
  const inputs = [args.file, args.manifest, args.source].filter((x) => x !== undefined);
  if (inputs.length !== 1)
    return err(
      usageFailure("apply needs exactly one contract: --manifest <file>, --source <file|project dir> or <file>"),
    );
  const loaded =
    args.manifest !== undefined ? await readContractFile(args.manifest) : await readServiceContract(inputs[0]!);
  if (loaded.isErr()) return err(loaded.error);
  const capabilities = listFlag(rawArgs, "capability");
  const apply = authContract().API.owned.rpc["Auth.Admin.Approvals.Apply"];
  const request = {
    deploymentId: id,
    contract: loaded.value.manifest,
    capabilities,
    replace: args.replace === true,
  };

  return withSession(async ({ client }) => {
    const planned = await client.call(apply, { ...request, dryRun: true });
    if (planned.isErr()) return err(callFailure(planned.error));
    const plan = planned.value;
    if (!args.json) {
      const lines = [
        `deployment: ${id}`,
        `contract:   ${plan.contractId}`,
        `digest:     ${plan.contractDigest}`,
        `change:     ${plan.change}${plan.previousDigests.length > 0 ? ` (approved now: ${plan.previousDigests.join(", ")})` : ""}`,
        `capabilities asked for: ${plan.requestedCapabilities.join(" ") || "(none)"}; granted: ${plan.approval.capabilities.join(" ")}`,
        "",
        renderPermissions({ ok: true, rules: plan.rules, skippedAliases: [] }),
      ];
      if (plan.unmet.length > 0) {
        lines.push(
          "",
          "not granted (optional or own-event rules whose capabilities were not given):",
          renderTable(
            ["DIR", "SUBJECT", "MISSING"],
            plan.unmet.map(({ rule, missingCaps }) => [rule.dir, rule.subject, missingCaps.join(" ")]),
          ),
        );
      }
      if (plan.approval.bindingPublishSubjects.length > 0) {
        lines.push(
          "",
          "resource binding subjects (publish):",
          ...plan.approval.bindingPublishSubjects.map((s) => `  ${s}`),
        );
      }
      process.stderr.write(`${lines.join("\n")}\n\n`);
    }
    if (args["dry-run"]) {
      if (args.json) writeJson(plan);
      return ok(ExitCode.ok);
    }
    if (plan.change === "unchanged") {
      if (args.json) writeJson(plan);
      else writeResult(`ok unchanged deployment=${id} digest=${plan.contractDigest}`);
      return ok(ExitCode.ok);
    }
    let accept = args.yes === true;
    if (plan.change === "changed" && !accept) {
      if (!process.stdin.isTTY) {
        return err({
          ...usageFailure(
            `${plan.contractId} is approved with ${plan.previousDigests.join(", ")}; approving ${plan.contractDigest} is a change`,
            "review the permissions above, then run again with --yes",
          ),
          code: "confirmation_required",
        });
      }
      accept = await confirm(
        `approve ${plan.contractDigest} for ${id} alongside ${plan.previousDigests.join(", ")}? [y/N] `,
      );
      if (!accept) return err(usageFailure("not approved"));
    }
    const applied = await client.call(apply, { ...request, acceptChange: accept });
    if (applied.isErr()) return err(callFailure(applied.error));
    if (args.json) writeJson(applied.value);
    else {
      writeResult(
        `ok approved deployment=${id} contract=${applied.value.contractId} digest=${applied.value.contractDigest} change=${applied.value.change}${
          applied.value.revoked.length > 0 ? ` revoked=${applied.value.revoked.join(",")}` : ""
        }`,
      );
    }
    return ok(ExitCode.ok);
  });
}
