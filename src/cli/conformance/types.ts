/** One compared value of a vector. Values are the strings the vectors hold. */
export type VectorCheck = { field: string; expected: string; actual: string };

export type VectorStatus = "pass" | "fail" | "not-implemented";

export type VectorReport = {
  suite: string;
  /** Vector file, relative to the conformance directory, POSIX separators. */
  file: string;
  name: string;
  status: VectorStatus;
  checks: VectorCheck[];
  /** Why a vector could not be run at all (malformed vector, unknown suite). */
  error?: string;
};

/** Runs one vector and returns its checks, or an error text when the vector is malformed. */
export type SuiteRunner = (vector: unknown) => VectorCheck[] | { error: string } | Promise<VectorCheck[] | { error: string }>;

export type Suite = { name: string; run: SuiteRunner | "not-implemented" };
