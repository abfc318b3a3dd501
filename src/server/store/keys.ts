import { sessionKeyToken } from "../../contracts/index.ts";

/**
 * KV key layouts (design/state-buckets.md). Session keys and digests are
 * base64url and deployment/user ids are validated, so they are legal keys
 * as they are; anything free-form is escaped.
 */

const SESSION_KEY_FORM = /^[A-Za-z0-9_-]{43}$/;
export const isSessionKeyForm = (text: string): boolean => SESSION_KEY_FORM.test(text);

export const serviceApprovalKey = (deploymentId: string, contractDigest: string) =>
  `svc.${deploymentId}.${contractDigest}`;
export const serviceApprovalFilter = (deploymentId: string) => `svc.${deploymentId}.*`;
export const userApprovalKey = (userId: string, approvalId: string) => `usr.${userId}.${approvalId}`;
export const userApprovalFilter = (userId: string) => `usr.${userId}.*`;

export const presenceKey = (sessionKey: string, scopeId: string, userNkey: string) =>
  `${sessionKey}.${scopeId}.${userNkey}`;
export const presenceFilter = (sessionKey: string) => `${sessionKey}.*.*`;

export const sessionDenialKey = (sessionKey: string) => `sk.${sessionKey}`;
/** Client IPs (v4 or v6) as one key token. */
export const hostDenialKey = (host: string) => `host.${host.replace(/[^A-Za-z0-9-]/g, "_") || "_"}`;

/** `=HH` escaping of everything outside `[A-Za-z0-9_-]`, as the state store does (runtime-wire.md §6). */
export function escapeKeyToken(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out || "=";
}

export const resourceKey = (deploymentId: string, kind: string, name: string) =>
  `${deploymentId}.${kind}.${escapeKeyToken(name)}`;

/** Who holds a JOBS_WORK consumer name; deployment ids never start with `_`, so no resource key collides. */
export const jobConsumerKey = (consumerName: string) => `_jobs.${escapeKeyToken(consumerName)}`;

/** The default user of an approved session key: `sk_` + its first 16 characters, lowercased and made id-safe. */
export const defaultUserId = (sessionKey: string) =>
  `sk_${sessionKeyToken(sessionKey)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")}`;
