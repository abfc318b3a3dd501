import { existsSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import {
  builtinEntries,
  cliContract,
  err,
  ok,
  type AuthError,
  type Result,
  type ValidationError,
} from "../../contracts/index.ts";
import type { Logger } from "../../runtime/index.ts";
import { approveUserSession } from "../approvals/user-approval.ts";
import type { AuthStore } from "../store/auth-store.ts";
import { userApprovalKey } from "../store/keys.ts";
import { ApprovalRecordSchema, SessionRecordSchema, UserRecordSchema, type UserRecord } from "../store/records.ts";

/**
 * `trellis init admin` runs offline, so it cannot write KV. It leaves an
 * import file in the control plane's `importsDir`: the first operator's
 * User (group `admin`), its ApprovalRecord for `trellis.cli@v1` and the
 * Session binding its session key. `trellis server` imports every file at
 * start, create-if-absent, and renames it to `*.imported`.
 */
export const AdminImportSchema = v.object({
  format: v.literal("trellis.admin-import.v1"),
  user: UserRecordSchema,
  approval: ApprovalRecordSchema,
  session: SessionRecordSchema,
  contract: v.object({ digest: v.string(), manifest: v.unknown() }),
});
export type AdminImport = v.InferOutput<typeof AdminImportSchema>;

export function buildAdminImport(input: {
  sessionKey: string;
  userId: string;
  now?: Date;
}): Result<AdminImport, ValidationError | AuthError> {
  const now = input.now ?? new Date();
  const cli = cliContract();
  const user: UserRecord = {
    userId: input.userId,
    active: true,
    capabilities: [],
    capabilityGroups: ["admin"],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const approved = approveUserSession({
    manifest: cli.CONTRACT,
    digest: cli.CONTRACT_DIGEST,
    user,
    sessionKey: input.sessionKey,
    decidedBy: "trellis init admin",
    now,
    active: builtinEntries(),
  });
  if (approved.isErr()) return err(approved.error);
  return ok({
    format: "trellis.admin-import.v1",
    user,
    approval: approved.value.approval,
    session: approved.value.session,
    contract: { digest: cli.CONTRACT_DIGEST, manifest: cli.CONTRACT },
  });
}

/**
 * Imports every `*.json` of `dir`. A file whose approval already exists
 * (even revoked) is not applied again: a revoked operator must not come back
 * with a restart. The session's `lastAuth` starts at import, not at
 * `init admin`, so a bundle made days before its first start still works.
 */
export async function applyAdminImports(store: AuthStore, dir: string, logger: Logger): Promise<number> {
  if (!existsSync(dir)) return 0;
  let imported = 0;
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()) {
    const path = join(dir, name);
    const parsed = v.safeParse(AdminImportSchema, safeJson(path));
    if (!parsed.success) {
      logger.error({ file: path, issues: v.summarize(parsed.issues) }, "admin import file is invalid; skipped");
      continue;
    }
    const file = parsed.output;
    const key = userApprovalKey(file.user.userId, file.approval.approvalId);
    const existing = await store.approvals.get(key);
    if (existing.isErr()) throw new Error(`admin import: ${existing.error.message}`);
    if (existing.value === undefined) {
      const now = new Date().toISOString();
      await must(store.contracts.create(file.contract.digest, file.contract));
      await must(store.users.create(file.user.userId, file.user));
      await must(store.sessions.create(file.session.sessionKey, { ...file.session, createdAt: now, lastAuth: now }));
      // The approval last: its presence is what marks the file as applied.
      await must(store.approvals.create(key, file.approval));
      imported++;
      logger.info(
        {
          file: path,
          userId: file.user.userId,
          sessionKey: file.session.sessionKey,
          contractId: file.approval.contractId,
        },
        "imported operator session",
      );
    }
    try {
      renameSync(path, `${path}.imported`);
    } catch {
      // Another replica renamed it first.
    }
  }
  return imported;
}

function safeJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

async function must<T>(result: Promise<Result<T, { message: string }>>): Promise<T> {
  const settled = await result;
  if (settled.isErr()) throw new Error(`admin import: ${settled.error.message}`);
  return settled.value;
}
