import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import {
  applyJobEvent,
  EXECUTION_TERMINAL,
  JOB_EVENT_TYPES,
  JOB_STATES,
  JOB_TRANSITIONS,
  JobSchema,
  replayJobEvents,
  type Job,
  type JobEvent,
  type JobEventType,
  type JobState,
} from "../../src/contracts/index.ts";

/** jobs.md §3 (transition table, terminal precedence) and §5 (reducer rules). */

const context = {
  requestId: "01J0000000000000000000REQ1",
  traceId: "0af7651916cd43dd8448eb211c80319c",
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
};

let clock = 0;
const at = () => new Date(Date.UTC(2025, 0, 1, 0, 0, 0, clock++)).toISOString();

function event(eventType: JobEventType, extra: Partial<JobEvent> = {}): JobEvent {
  return {
    jobId: "01JOB",
    service: "billing",
    jobType: "invoice",
    eventType,
    state: JOB_TRANSITIONS[eventType].to,
    context,
    tries: 1,
    timestamp: at(),
    ...extra,
  };
}
const created = (extra: Partial<JobEvent> = {}) =>
  event("created", { tries: 0, maxTries: 5, payload: { n: 1 }, ...extra });

/** A job in `state`, with every optional field an attempt can set, so resets are visible. */
function jobIn(state: JobState): Job {
  return {
    id: "01JOB",
    service: "billing",
    type: "invoice",
    state,
    context,
    payload: { n: 1 },
    result: { ok: true },
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    startedAt: "2025-01-01T00:00:00.000Z",
    completedAt: "2025-01-01T00:00:00.000Z",
    tries: 2,
    maxTries: 5,
    lastError: "Boom: old",
    deadline: "2025-01-02T00:00:00.000Z",
    progress: { current: 1, total: 2 },
    logs: [{ timestamp: "2025-01-01T00:00:00.000Z", level: "info", message: "one" }],
  };
}

/** The table of §3, written out again independently of JOB_TRANSITIONS. */
const TABLE: Record<JobEventType, { from: JobState[]; to: JobState }> = {
  created: { from: [], to: "pending" },
  started: { from: ["pending", "retry", "active"], to: "active" },
  progress: { from: ["active"], to: "active" },
  logged: { from: ["active"], to: "active" },
  completed: { from: ["active"], to: "completed" },
  failed: { from: ["active"], to: "failed" },
  retry: { from: ["active"], to: "retry" },
  cancelled: { from: ["pending", "retry", "active"], to: "cancelled" },
  expired: { from: ["pending", "retry", "active"], to: "expired" },
  dead: { from: ["pending", "retry", "active"], to: "dead" },
  retried: { from: ["failed", "dead"], to: "pending" },
  dismissed: { from: ["dead"], to: "dismissed" },
};

describe("transition table (§3)", () => {
  for (const type of JOB_EVENT_TYPES) {
    for (const state of JOB_STATES) {
      const legal = TABLE[type].from.includes(state);
      test(`${type} from ${state}: ${legal ? `→ ${TABLE[type].to}` : "ignored"}`, () => {
        const extra: Partial<JobEvent> = type === "retried" ? { payload: { n: 2 }, tries: 0, maxTries: 5 } : {};
        const outcome = applyJobEvent(jobIn(state), event(type, extra));
        expect(outcome.applied).toBe(legal);
        if (outcome.applied) {
          expect(outcome.job.state).toBe(TABLE[type].to);
          expect(v.is(JobSchema, outcome.job)).toBe(true);
        }
      });
    }
  }

  test("created seeds a pending job from nothing; every other event needs an existing job", () => {
    const seeded = applyJobEvent(undefined, created({ deadline: "2025-02-01T00:00:00.000Z" }));
    expect(seeded.applied && seeded.job).toEqual({
      id: "01JOB",
      service: "billing",
      type: "invoice",
      state: "pending",
      context,
      payload: { n: 1 },
      createdAt: seeded.applied ? seeded.job.createdAt : "",
      updatedAt: seeded.applied ? seeded.job.createdAt : "",
      tries: 0,
      maxTries: 5,
      deadline: "2025-02-01T00:00:00.000Z",
    });
    for (const type of JOB_EVENT_TYPES.filter((t) => t !== "created")) {
      expect(applyJobEvent(undefined, event(type)).applied).toBe(false);
    }
  });

  test("a created without payload or maxTries is ignored (workers drop it too)", () => {
    expect(applyJobEvent(undefined, event("created", { tries: 0, maxTries: 5 })).applied).toBe(false);
    expect(applyJobEvent(undefined, event("created", { tries: 0, payload: {} })).applied).toBe(false);
    // null is a payload.
    expect(applyJobEvent(undefined, created({ payload: null })).applied).toBe(true);
  });

  test("the state comes from the table, not from the event's own state or previousState", () => {
    const outcome = applyJobEvent(jobIn("pending"), event("started", { state: "completed", previousState: "dead" }));
    expect(outcome.applied && outcome.job.state).toBe("active");
  });

  test("an event naming another service, type or id than the job is ignored", () => {
    expect(applyJobEvent(jobIn("active"), event("completed", { service: "other" })).applied).toBe(false);
    expect(applyJobEvent(jobIn("active"), event("completed", { jobType: "other" })).applied).toBe(false);
    expect(applyJobEvent(jobIn("active"), event("completed", { jobId: "01OTHER" })).applied).toBe(false);
  });

  test("only failed and dead can be left; the other terminals never change", () => {
    for (const state of EXECUTION_TERMINAL) {
      const leavable = JOB_EVENT_TYPES.filter(
        (type) => applyJobEvent(jobIn(state), event(type, { payload: 1 })).applied,
      );
      expect(leavable).toEqual(state === "failed" ? ["retried"] : state === "dead" ? ["retried", "dismissed"] : []);
    }
  });
});

describe("reducer rules (§5)", () => {
  test("every applied event sets updatedAt and tries; maxTries only when the event carries it", () => {
    const started = applyJobEvent(
      jobIn("pending"),
      event("started", { tries: 3, timestamp: "2025-03-01T00:00:00.000Z" }),
    );
    expect(started.applied && [started.job.updatedAt, started.job.tries, started.job.maxTries]).toEqual([
      "2025-03-01T00:00:00.000Z",
      3,
      5,
    ]);
    const widened = applyJobEvent(jobIn("pending"), event("started", { maxTries: 9 }));
    expect(widened.applied && widened.job.maxTries).toBe(9);
  });

  test("started sets startedAt; progress replaces; logged appends", () => {
    const job = jobIn("active");
    const started = applyJobEvent(job, event("started", { timestamp: "2025-04-01T00:00:00.000Z" }));
    expect(started.applied && started.job.startedAt).toBe("2025-04-01T00:00:00.000Z");
    const progressed = applyJobEvent(job, event("progress", { progress: { step: "two" } }));
    expect(progressed.applied && progressed.job.progress).toEqual({ step: "two" });
    const entry = { timestamp: "2025-04-01T00:00:00.000Z", level: "warn" as const, message: "two" };
    const logged = applyJobEvent(job, event("logged", { logs: [entry] }));
    expect(logged.applied && logged.job.logs).toEqual([...job.logs!, entry]);
  });

  test("completed sets result and completedAt; failure terminals set completedAt and lastError", () => {
    const done = applyJobEvent(jobIn("active"), event("completed", { result: { total: 3 } }));
    expect(done.applied && [done.job.result, done.job.completedAt]).toEqual([
      { total: 3 },
      done.applied ? done.job.updatedAt : "",
    ]);
    for (const type of ["failed", "cancelled", "expired", "dead"] as const) {
      const out = applyJobEvent(jobIn("active"), event(type, { error: `${type}: why` }));
      expect(out.applied && [out.job.completedAt, out.job.lastError]).toEqual([
        out.applied ? out.job.updatedAt : "",
        `${type}: why`,
      ]);
    }
    // Without an error the last one stays.
    const cancelled = applyJobEvent(jobIn("active"), event("cancelled"));
    expect(cancelled.applied && cancelled.job.lastError).toBe("Boom: old");
  });

  test("retry records lastError and leaves completedAt alone", () => {
    const job = jobIn("active");
    const out = applyJobEvent(job, event("retry", { error: "Timeout: again" }));
    expect(out.applied && [out.job.state, out.job.lastError, out.job.completedAt]).toEqual([
      "retry",
      "Timeout: again",
      job.completedAt,
    ]);
  });

  test("retried takes payload and deadline and clears the last attempt", () => {
    const out = applyJobEvent(jobIn("failed"), event("retried", { payload: { n: 2 }, tries: 0, maxTries: 5 }));
    expect(out.applied && out.job).toEqual({
      id: "01JOB",
      service: "billing",
      type: "invoice",
      state: "pending",
      context,
      payload: { n: 2 },
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: out.applied ? out.job.updatedAt : "",
      tries: 0,
      maxTries: 5,
    });
    expect(applyJobEvent(jobIn("dead"), event("retried", { tries: 0 })).applied).toBe(false);
  });

  test("terminal precedence: the first terminal event wins, later outcomes and updates are ignored", () => {
    const jobs = replayJobEvents([
      created(),
      event("started"),
      event("cancelled", { tries: 1 }),
      event("completed", { result: 1 }),
      event("failed", { error: "late" }),
      event("progress", { progress: { current: 9 } }),
      event("logged", { logs: [{ timestamp: at(), level: "info", message: "late" }] }),
      event("dead", { error: "late" }),
    ]);
    const job = jobs.get("01JOB")!;
    expect(job.state).toBe("cancelled");
    expect(job.result).toBeUndefined();
    expect(job.progress).toBeUndefined();
    expect(job.logs).toBeUndefined();
  });

  test("a retried job runs again: started restarts the attempt, tries count from the event", () => {
    const jobs = replayJobEvents([
      created(),
      event("started", { tries: 1 }),
      event("failed", { error: "Bad: input" }),
      event("retried", { tries: 0, maxTries: 5, payload: { n: 1 } }),
      event("started", { tries: 1 }),
      event("completed", { tries: 1, result: "ok" }),
    ]);
    expect(jobs.get("01JOB")).toMatchObject({ state: "completed", tries: 1, result: "ok" });
    expect(jobs.get("01JOB")!.lastError).toBeUndefined();
  });

  test("replay is deterministic: the same events give an identical projection, with or without duplicates", () => {
    const events = [
      created(),
      event("started"),
      event("progress", { progress: { current: 1 } }),
      event("retry", { error: "T: x" }),
      event("started", { tries: 2 }),
      event("completed", { tries: 2, result: [1, 2] }),
    ];
    const once = JSON.stringify([...replayJobEvents(events)]);
    expect(JSON.stringify([...replayJobEvents(events)])).toBe(once);
    // A created delivered twice and a terminal repeated change nothing.
    expect(JSON.stringify([...replayJobEvents([events[0]!, ...events, events[5]!])])).toBe(once);
  });
});
