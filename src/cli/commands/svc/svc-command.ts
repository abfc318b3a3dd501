import { err } from "../../../contracts/index.ts";
import { usageFailure } from "../../app/cli-failure.ts";
import { trellisCommand } from "../../app/command.ts";
import { runApply } from "./apply.ts";
import { runCreate, runDisable, runList, runRevoke, runShow } from "./deployment-actions.ts";
import { runProvision } from "./provision.ts";

const ACTIONS = ["create", "apply", "provision", "show", "disable", "enable", "revoke"] as const;

/**
 * `trellis svc list` and `trellis svc <id> <action>` (tooling.md §3.7, §6):
 * one leaf command, since the deployment id comes before the action.
 */
export default trellisCommand({
  name: "svc",
  description: `Service deployments: list, or <id> ${ACTIONS.join("|")} (session)`,
  args: {
    target: { type: "positional", description: "`list`, or a deployment id", required: true },
    action: { type: "positional", description: ACTIONS.join(" | "), required: false },
    file: { type: "positional", description: "apply: the contract (same as --manifest/--source)", required: false },
    manifest: { type: "string", description: "apply: a manifest .json" },
    source: {
      type: "string",
      description: "apply: a contract source .ts/.js, or a project directory with one service contract",
    },
    capability: { type: "string", description: "apply/provision: capabilities to grant (repeatable, comma-separated)" },
    yes: { type: "boolean", alias: "y", description: "apply: accept a digest change without asking" },
    replace: { type: "boolean", description: "apply: revoke the deployment's other approved digests" },
    "dry-run": { type: "boolean", description: "apply: show what would be approved, record nothing" },
    "seed-file": { type: "string", description: "provision: register the key of this existing seed file" },
    "session-key": { type: "string", description: "provision: register this public session key" },
    out: {
      type: "string",
      description: "provision: write the new instance seed to this file (0600) instead of printing it",
    },
    force: { type: "boolean", description: "provision: overwrite --out" },
    digest: { type: "string", description: "revoke: the approved digest to revoke" },
    json: { type: "boolean", description: "Print JSON" },
  },
  run: async (args, { rawArgs }) => {
    if (args.target === "list") return runList(args);
    const action = args.action;
    if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
      return err(usageFailure(`trellis svc ${args.target} needs an action: ${ACTIONS.join(", ")}`));
    }
    const id = args.target;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(id)) {
      return err(
        usageFailure(`'${id}' is not a deployment id (lowercase letters, digits and '-', starting with a letter)`),
      );
    }
    switch (action as (typeof ACTIONS)[number]) {
      case "create":
        return runCreate(id, args);
      case "apply":
        return runApply(id, args, rawArgs);
      case "provision":
        return runProvision(id, args, rawArgs);
      case "show":
        return runShow(id, args);
      case "disable":
      case "enable":
        return runDisable(id, action === "disable", args);
      case "revoke":
        return runRevoke(id, args);
    }
  },
});
