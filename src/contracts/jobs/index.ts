// The jobs wire model (jobs.md): shared by the runtime's workers and the jobs admin runtime.
export * from "./job-wire.ts";
export * from "./job-subjects.ts";
export * from "./job-reducer.ts";
export * from "./job-streams.ts";
