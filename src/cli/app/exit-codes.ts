/** Exit statuses of every `trellis` command (tooling.md §4). */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  invalidContract: 3,
  staleOrNotReady: 4,
  transport: 5,
  notFound: 6,
  notCompleted: 7,
  breaking: 8,
  interrupted: 130,
} as const;

export type ExitStatus = (typeof ExitCode)[keyof typeof ExitCode];
