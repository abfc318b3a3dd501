/**
 * What the control plane hands a service whose contract declares operations
 * (operations.md §4, §6): its operation-state bucket, shared by all its
 * instances. `service` is the namespace token, the deployment id (the same
 * token jobs use, design/jobs.md), so the bucket outlives digests.
 */
export type OperationStateBinding = {
  service: string;
  /** `trellis_operations_<service>`; its stream is `KV_<bucket>`. */
  bucket: string;
};

export function operationBucketName(service: string): string {
  return `trellis_operations_${service}`;
}

export function operationStateBinding(service: string): OperationStateBinding {
  return { service, bucket: operationBucketName(service) };
}

/** §4: history 1, no TTL (2.10 has no per-key TTL; a bucket-wide one would expire idle deferred operations). */
export const OPERATION_BUCKET_SETTINGS = { history: 1, ttlMs: 0 } as const;
