import { TrellisError, type TrellisErrorOptions } from "../errors/trellis-error.ts";
import type { ValidationIssue } from "../errors/builtin.ts";
import { pointerOf } from "../json/pure-json.ts";

/**
 * A contract source that cannot become a valid manifest. Contract modules run
 * at import time, so a malformed source is a programming error and is thrown
 * (the one place in the contract model that throws instead of returning a
 * Result). `issues` are JSON pointers into the emitted manifest.
 */
export class ContractDefinitionError extends TrellisError<"ContractDefinitionError"> {
  readonly type = "ContractDefinitionError";
  readonly issues: ValidationIssue[];
  /** What was being defined, for the message: "contract 'acme.notes@v1'", "error 'NoteMissing'". */
  readonly source: string;

  constructor(issues: ValidationIssue[], source = "contract", options: TrellisErrorOptions = {}) {
    super(describe(issues, source), options);
    this.issues = issues;
    this.source = source;
  }

  protected override fields() {
    return { issues: this.issues, source: this.source };
  }
}

function describe(issues: readonly ValidationIssue[], source: string): string {
  const lines = issues.map((issue) => `  ${issue.path === "" ? "(root)" : issue.path}: ${issue.message}`);
  return lines.length === 0 ? `Invalid ${source}` : `Invalid ${source}:\n${lines.join("\n")}`;
}

type PathToken = string | number;

/**
 * Gathers issues while a contract is emitted, so that one run reports every
 * problem it can find instead of stopping at the first.
 */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];

  add(path: readonly PathToken[], message: string): void {
    this.issues.push({ path: pointerOf(path), message });
  }

  /** Adds issues whose paths are relative to `base`. */
  addAll(base: readonly PathToken[], issues: readonly ValidationIssue[]): void {
    const prefix = pointerOf(base);
    for (const issue of issues) this.issues.push({ path: prefix + issue.path, message: issue.message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  throwIfAny(source?: string): void {
    if (!this.empty) throw new ContractDefinitionError([...this.issues], source);
  }
}
