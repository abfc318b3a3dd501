import {
  applyJobEvent,
  err,
  ok,
  ValidationError,
  type Job,
  type JobEventType,
  type JobNotFoundError,
  type JobState,
  type Result,
  type UnexpectedError,
} from "../../contracts/index.ts";
import { adminEvent, type AdminEventFields } from "./job-publisher.ts";
import { jobNotFound } from "./job-reads.ts";
import type { JobRows } from "./job-rows.ts";
import { sleep } from "./sleep.ts";
import type { JobEventPublisher } from "../../runtime/index.ts";

export type MutationError = InstanceType<typeof JobNotFoundError> | ValidationError | UnexpectedError;
type Mutation = { method: string; event: JobEventType; from: readonly JobState[] };

const CANCEL: Mutation = { method: "Jobs.Cancel", event: "cancelled", from: ["pending", "retry", "active"] };
const RETRY: Mutation = { method: "Jobs.Retry", event: "retried", from: ["failed"] };
const REPLAY: Mutation = { method: "Jobs.ReplayDLQ", event: "retried", from: ["dead"] };
const DISMISS: Mutation = { method: "Jobs.DismissDLQ", event: "dismissed", from: ["dead"] };

/** How long a mutation waits for its event to be projected before answering with the locally reduced row. */
export const PROJECTION_WAIT_MS = 1000;

/**
 * The admin mutations (jobs.md §12): they never write rows. Each loads the
 * row, checks its state, publishes the event (row context, state as
 * `previousState`) and answers with the row once the projector has applied
 * it, so what the caller sees is what `Jobs.Get` will say.
 */
export class JobMutations {
  constructor(
    private readonly rows: JobRows,
    private readonly publisher: JobEventPublisher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  cancel = (id: string) => this.#mutate(id, CANCEL);
  retry = (id: string) => this.#mutate(id, RETRY);
  replay = (id: string) => this.#mutate(id, REPLAY);
  dismiss = (id: string) => this.#mutate(id, DISMISS);

  async #mutate(id: string, mutation: Mutation): Promise<Result<{ job: Job }, MutationError>> {
    const row = this.rows.get(id);
    if (row === undefined) return err(jobNotFound(id));
    if (!mutation.from.includes(row.state)) {
      return err(
        new ValidationError(
          [
            {
              path: "/id",
              message: `job ${id} is ${row.state}; ${mutation.method} needs ${mutation.from.join(" or ")}`,
            },
          ],
          { context: { field: "state", expected: mutation.from, actual: row.state } },
        ),
      );
    }
    const now = this.clock();
    const event = adminEvent(row, mutation.event, this.#fields(row, mutation.event, now), now);
    const published = await this.publisher.publish(event);
    if (published.isErr()) return err(published.error);
    const deadline = Date.now() + PROJECTION_WAIT_MS;
    while (this.rows.projectedSeq() < published.value.seq && Date.now() < deadline) await sleep(10);
    if (this.rows.projectedSeq() >= published.value.seq) {
      const projected = this.rows.get(id);
      if (projected !== undefined) return ok({ job: projected });
    }
    const reduced = applyJobEvent(row, event);
    return ok({ job: reduced.applied ? reduced.job : row });
  }

  #fields(row: Job, event: JobEventType, now: Date): AdminEventFields {
    if (event !== "retried") return { tries: row.tries };
    // A fresh attempt: tries from 0, the row's payload and maxTries, the original deadline span from now.
    const span = row.deadline === undefined ? undefined : Date.parse(row.deadline) - Date.parse(row.createdAt);
    return {
      tries: 0,
      payload: row.payload,
      maxTries: row.maxTries,
      ...(span === undefined ? {} : { deadline: new Date(now.getTime() + span).toISOString() }),
    };
  }
}
