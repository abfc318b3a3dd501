/**
 * `context.json` of a CLI session directory (auth.md §6.5, tooling.md §3.1):
 * where to connect, with which sentinel, as which contract digest. Paths are
 * relative to the directory the file is in.
 */
export type CliContext = {
  format: "trellis.cli-context.v1";
  /** The bootstrap endpoint (clock offset, sentinel, servers); optional when natsServers and sentinelCreds are set. */
  trellisUrl?: string;
  natsServers: string[];
  sentinelCreds?: string;
  contractId: string;
  contractDigest: string;
  userId?: string;
};

export function cliContext(fields: Omit<CliContext, "format">): CliContext {
  return { format: "trellis.cli-context.v1", ...fields };
}
