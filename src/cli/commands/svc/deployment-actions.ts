import { authContract, err, ok } from "../../../contracts/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import type { CommandOutcome } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { renderTable, writeJson, writeResult } from "../../app/output.ts";
import { callFailure } from "../../session/call-failure.ts";
import { withSession } from "./with-session.ts";

const rpc = () => authContract().API.owned.rpc;
type JsonFlag = { json?: boolean | undefined };

export function runList(args: JsonFlag): Promise<CommandOutcome> {
  return withSession(async ({ client }) => {
    const listed = await client.call(rpc()["Auth.Admin.Deployments.List"], {});
    if (listed.isErr()) return err(callFailure(listed.error));
    if (args.json) writeJson(listed.value);
    else {
      writeResult(
        renderTable(
          ["DEPLOYMENT", "CONTRACT", "STATE", "INSTANCES", "APPROVED DIGESTS"],
          listed.value.deployments.map(({ deployment, instances, approvedDigests }) => [
            deployment.deploymentId,
            deployment.contractId ?? "-",
            deployment.disabled ? "disabled" : "enabled",
            String(instances),
            approvedDigests.join(",") || "-",
          ]),
        ),
      );
    }
    return ok(ExitCode.ok);
  });
}

export function runCreate(id: string, args: JsonFlag): Promise<CommandOutcome> {
  return withSession(async ({ client }) => {
    const created = await client.call(rpc()["Auth.Admin.Deployments.Create"], { deploymentId: id });
    if (created.isErr()) return err(callFailure(created.error));
    if (args.json) writeJson(created.value);
    else writeResult(`ok deployment ${created.value.created ? "created" : "exists"} deployment=${id}`);
    return ok(ExitCode.ok);
  });
}

export function runDisable(id: string, disable: boolean, args: JsonFlag): Promise<CommandOutcome> {
  return withSession(async ({ client }) => {
    const surface = rpc()[disable ? "Auth.Admin.Deployments.Disable" : "Auth.Admin.Deployments.Enable"];
    const done = await client.call(surface, { deploymentId: id });
    if (done.isErr()) return err(callFailure(done.error));
    if (args.json) writeJson(done.value);
    else writeResult(`ok deployment ${disable ? "disabled" : "enabled"} deployment=${id}`);
    return ok(ExitCode.ok);
  });
}

export function runRevoke(id: string, args: JsonFlag & { digest?: string | undefined }): Promise<CommandOutcome> {
  const digest = args.digest;
  if (digest === undefined) return Promise.resolve(err(usageFailure("revoke needs --digest <approved digest>")));
  return withSession(async ({ client }) => {
    const done = await client.call(rpc()["Auth.Admin.Approvals.Revoke"], { deploymentId: id, contractDigest: digest });
    if (done.isErr()) return err(callFailure(done.error));
    if (args.json) writeJson(done.value);
    else {
      writeResult(
        `ok approval revoked deployment=${id} digest=${digest} sessions=${done.value.sessionsDeleted} kicked=${done.value.connectionsKicked}`,
      );
    }
    return ok(ExitCode.ok);
  });
}

/** Deployments, instances, approved digests and the last connect denial (tooling.md §6). */
export function runShow(id: string, args: JsonFlag): Promise<CommandOutcome> {
  return withSession(async ({ client }) => {
    const shown = await client.call(rpc()["Auth.Admin.Deployments.Get"], { deploymentId: id });
    if (shown.isErr()) return err(callFailure(shown.error));
    const detail = shown.value;
    if (args.json) {
      writeJson(detail);
      return ok(ExitCode.ok);
    }
    const { deployment } = detail;
    const sections = [
      [
        `deployment: ${deployment.deploymentId}`,
        `contract:   ${deployment.contractId ?? "-"}`,
        `state:      ${deployment.disabled ? "disabled" : "enabled"}`,
        `created:    ${deployment.createdAt}`,
      ].join("\n"),
      detail.approvals.length === 0
        ? "approvals: none"
        : renderTable(
            ["DIGEST", "STATE", "CAPABILITIES", "DECIDED", "BY"],
            detail.approvals.map((a) => [
              a.contractDigest,
              a.revokedAt === null ? "approved" : `revoked ${a.revokedAt}`,
              a.capabilities.join(" "),
              a.decidedAt,
              a.decidedBy,
            ]),
          ),
      detail.instances.length === 0
        ? "instances: none"
        : renderTable(
            ["INSTANCE", "SESSION KEY", "STATE", "LAST DENIAL"],
            detail.instances.map(({ instance, lastDenial }) => [
              instance.instanceId,
              instance.sessionKey,
              instance.disabled ? "disabled" : "enabled",
              lastDenial === undefined
                ? "-"
                : `${lastDenial.reason} at ${lastDenial.at}${lastDenial.contractDigest === undefined ? "" : ` (digest ${lastDenial.contractDigest})`}`,
            ]),
          ),
    ];
    if (detail.resources.length > 0) {
      sections.push(
        renderTable(
          ["RESOURCE", "NAME", "JETSTREAM NAME"],
          detail.resources.map((r) => [r.kind, r.name, r.resource]),
        ),
      );
    }
    writeResult(sections.join("\n\n"));
    return ok(ExitCode.ok);
  });
}
