import { err, type Result } from "../../../contracts/index.ts";
import type { CliFailure } from "../../app/cli-failure.ts";
import type { CommandOutcome } from "../../app/command.ts";
import { openCliSession, type CliSession } from "../../session/open-session.ts";

/** Runs `work` with an open CLI session and always closes it. */
export async function withSession(work: (session: CliSession) => Promise<CommandOutcome>): Promise<CommandOutcome> {
  const session = await openCliSession();
  if (session.isErr()) return err(session.error);
  try {
    return await work(session.value);
  } finally {
    await session.value.close();
  }
}

export type Outcome<T> = Result<T, CliFailure>;
