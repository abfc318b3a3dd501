import { JOBS_ADVISORIES_STREAM, JOBS_STREAM, JOBS_WORK_STREAM } from "./job-subjects.ts";

/**
 * The three jobs streams exactly as jobs.md §4 writes them, as plain JSON
 * (the JetStream stream config fields), so the control plane, the admin
 * runtime and tests create the same thing. `replicas` is the configured
 * JetStream replica count, for all three.
 */
export type JobStreamSource = {
  name: string;
  subject_transforms: { src: string; dest: string }[];
};

export type JobStreamConfig = {
  name: string;
  subjects: string[];
  retention: "limits" | "workqueue";
  storage: "file";
  num_replicas: number;
  max_msgs?: number;
  max_bytes?: number;
  /** Nanoseconds; 0 = keep forever. */
  max_age?: number;
  discard?: "old";
  allow_direct?: boolean;
  sources?: JobStreamSource[];
};

const SEVEN_DAYS_NS = 604_800_000_000_000;

/** `trellis.jobs.<service>.<job-type>.<id>.<event>` → `trellis.work.<service>.<job-type>`, for `created` and `retried`. */
const workSource = (event: "created" | "retried"): JobStreamSource => ({
  name: JOBS_STREAM,
  subject_transforms: [{ src: `trellis.jobs.*.*.*.${event}`, dest: "trellis.work.$1.$2" }],
});

export function jobStreamConfigs(replicas: number): [JobStreamConfig, JobStreamConfig, JobStreamConfig] {
  return [
    {
      name: JOBS_STREAM,
      subjects: ["trellis.jobs.>"],
      retention: "limits",
      storage: "file",
      num_replicas: replicas,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      discard: "old",
      // Workers read a job's lifecycle with subject-form direct gets (§8).
      allow_direct: true,
    },
    {
      name: JOBS_WORK_STREAM,
      subjects: ["trellis.work.>"],
      retention: "workqueue",
      storage: "file",
      num_replicas: replicas,
      // 2.10 forbids filter_subject beside subject_transforms: one source per event type.
      sources: [workSource("created"), workSource("retried")],
    },
    {
      name: JOBS_ADVISORIES_STREAM,
      subjects: [`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${JOBS_WORK_STREAM}.>`],
      retention: "limits",
      storage: "file",
      num_replicas: replicas,
      max_age: SEVEN_DAYS_NS,
    },
  ];
}
