import { defineAgentContract } from "../authoring/define-contract.ts";
import { authContract } from "./auth.ts";
import { coreContract } from "./core.ts";
import { jobsContract } from "./jobs.ts";

const defineCliContract = () =>
  defineAgentContract(() => ({
    id: "trellis.cli@v1",
    displayName: "Trellis CLI",
    description: "The operator command line: deployments, approvals, instances, sessions and jobs.",
    uses: {
      required: {
        auth: authContract().use({
          rpc: {
            call: [
              "Auth.Admin.Approvals.Apply",
              "Auth.Admin.Approvals.Revoke",
              "Auth.Admin.Denials.Get",
              "Auth.Admin.Deployments.Create",
              "Auth.Admin.Deployments.Disable",
              "Auth.Admin.Deployments.Enable",
              "Auth.Admin.Deployments.Get",
              "Auth.Admin.Deployments.List",
              "Auth.Admin.Instances.Provision",
              "Auth.Admin.Sessions.Approve",
              "Auth.Admin.Sessions.Revoke",
              "Auth.Sessions.Logout",
              "Auth.Sessions.Me",
            ],
          },
        }),
      },
      optional: {
        core: coreContract().use({ rpc: { call: ["Trellis.Catalog", "Trellis.Contract.Get"] } }),
        // `trellis jobs ...` (tooling.md §3.3); granted when the session holds the trellis.jobs capabilities.
        jobs: jobsContract().use({
          rpc: {
            call: [
              "Jobs.Cancel",
              "Jobs.DismissDLQ",
              "Jobs.Get",
              "Jobs.Health",
              "Jobs.List",
              "Jobs.ListDLQ",
              "Jobs.ListServices",
              "Jobs.ReplayDLQ",
              "Jobs.Retry",
            ],
          },
          feeds: { subscribe: ["Jobs.Tail"] },
        }),
      },
    },
  }));

export type CliContract = ReturnType<typeof defineCliContract>;
let cliContractModule: CliContract | undefined;

/**
 * `trellis.cli@v1` (agent): the contract an operator's CLI session is
 * approved for (auth.md §6.5). `trellis init admin` binds the first
 * operator's session key to it. The jobs admin surface is in `uses.optional`
 * (tooling.md §3.1), so a session without the jobs capabilities still works.
 */
export function cliContract(): CliContract {
  cliContractModule ??= defineCliContract();
  return cliContractModule;
}
