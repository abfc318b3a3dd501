import type { TrellisError } from "../../contracts/index.ts";
import type { CliFailure } from "../app/cli-failure.ts";
import { ExitCode } from "../app/exit-codes.ts";

/** How an admin RPC's error becomes an exit status (tooling.md §4). */
export function callFailure(error: TrellisError): CliFailure {
  const base = { code: error.type, type: error.type, message: error.message };
  switch (error.type) {
    case "NotFoundError":
      return { ...base, exit: ExitCode.notFound };
    case "ValidationError": {
      const issues = (error as TrellisError & { issues?: { path: string; message: string }[] }).issues;
      return { ...base, exit: ExitCode.invalidContract, ...(issues === undefined ? {} : { issues }) };
    }
    case "ApprovalChangeRequiredError":
      return { ...base, exit: ExitCode.usage, hint: "review the change, then run again with --yes" };
    case "AuthError":
      return {
        ...base,
        exit: ExitCode.transport,
        code: `auth_${(error as TrellisError & { reason?: string }).reason ?? "error"}`,
      };
    case "TransportError":
      return { ...base, exit: ExitCode.transport, hint: "is trellis server running?" };
    default:
      return { ...base, exit: ExitCode.unexpected };
  }
}
