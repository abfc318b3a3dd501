import type { ValidationIssue } from "../../contracts/index.ts";
import { ExitCode, type ExitStatus } from "./exit-codes.ts";

/**
 * An expected command failure: what went wrong, the exit status, and the
 * machine-readable code that `--json` prints as `{"error": {...}}`.
 */
export type CliFailure = {
  exit: ExitStatus;
  code: string;
  message: string;
  type?: string;
  hint?: string;
  issues?: ValidationIssue[];
};

export const usageFailure = (message: string, hint?: string): CliFailure => ({
  exit: ExitCode.usage,
  code: "usage",
  message,
  ...(hint === undefined ? {} : { hint }),
});

export const invalidContract = (message: string, issues: ValidationIssue[] = []): CliFailure => ({
  exit: ExitCode.invalidContract,
  code: "invalid_contract",
  type: "ValidationError",
  message,
  issues,
});

export const unexpectedFailure = (message: string): CliFailure => ({
  exit: ExitCode.unexpected,
  code: "unexpected",
  type: "UnexpectedError",
  message,
});
