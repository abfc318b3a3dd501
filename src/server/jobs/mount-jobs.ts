import { err, jobsContract, ok, type Result, type TrellisError } from "../../contracts/index.ts";
import type { FeedServer, RpcServer } from "../../runtime/index.ts";
import type { JobMutations } from "./job-mutations.ts";
import type { JobReads } from "./job-reads.ts";
import type { JobsHealthReport } from "./jobs-health.ts";
import type { TailFrame, TailInput } from "./jobs-tail.ts";

export type JobsHandlers = {
  reads: JobReads;
  mutations: JobMutations;
  health: () => Promise<JobsHealthReport>;
  tail: (
    input: TailInput,
    emit: (frame: TailFrame) => PromiseLike<Result<void, unknown>>,
    signal: AbortSignal,
  ) => Promise<Result<void, TrellisError>>;
};

/**
 * Serves `trellis.jobs@v1` (jobs.md §12). The RpcServer and FeedServer
 * check each method's capability (`admin.read`, `admin.mutate`,
 * `admin.stream`) before a handler runs; inputs arrive validated.
 */
export function mountJobs(rpc: RpcServer, feeds: FeedServer, handlers: JobsHandlers): Result<void, TrellisError> {
  const api = jobsContract().API.owned;
  const { reads, mutations } = handlers;
  const mounts = [
    rpc.handle(api.rpc["Jobs.Health"], async () => ok(await handlers.health())),
    rpc.handle(api.rpc["Jobs.ListServices"], ({ input }) => ok(reads.listServices(input))),
    rpc.handle(api.rpc["Jobs.List"], ({ input }) => ok(reads.list(input))),
    rpc.handle(api.rpc["Jobs.ListDLQ"], ({ input }) => ok(reads.listDlq(input))),
    rpc.handle(api.rpc["Jobs.Get"], ({ input }) => reads.get(input.id)),
    rpc.handle(api.rpc["Jobs.Cancel"], ({ input }) => mutations.cancel(input.id)),
    rpc.handle(api.rpc["Jobs.Retry"], ({ input }) => mutations.retry(input.id)),
    rpc.handle(api.rpc["Jobs.ReplayDLQ"], ({ input }) => mutations.replay(input.id)),
    rpc.handle(api.rpc["Jobs.DismissDLQ"], ({ input }) => mutations.dismiss(input.id)),
    feeds.handle(api.feeds["Jobs.Tail"], ({ input, emit, signal }) => handlers.tail(input, emit, signal)),
  ];
  for (const mounted of mounts) if (mounted.isErr()) return err(mounted.error);
  return ok(undefined);
}
