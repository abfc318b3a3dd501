import { err, ok, type Result } from "../../contracts/index.ts";
import { unexpectedFailure, usageFailure, type CliFailure } from "../app/cli-failure.ts";
import { ExitCode } from "../app/exit-codes.ts";
import { INDEX_FILE, parseReleaseIndex, type ReleaseIndex } from "./release-index.ts";

/**
 * Where releases are published unless `TRELLIS_RELEASES_URL` says otherwise:
 * a static host serving `dist/release/` as written by scripts/release.ts.
 */
export const DEFAULT_RELEASES_URL = "https://releases.trellis.dev/";

// An index is small; a tarball is the whole executable (~100 MB), so it gets longer.
const INDEX_TIMEOUT_MS = 10_000;
const DOWNLOAD_TIMEOUT_MS = 300_000;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * The releases base URL. HTTPS, or plain HTTP to a loopback host (local
 * mirrors, tests): the `.sha256` comes from the same host, so only TLS keeps
 * a network attacker from swapping both.
 */
export function releasesBaseUrl(env: NodeJS.ProcessEnv = process.env): Result<URL, CliFailure> {
  const text =
    env.TRELLIS_RELEASES_URL === undefined || env.TRELLIS_RELEASES_URL === ""
      ? DEFAULT_RELEASES_URL
      : env.TRELLIS_RELEASES_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(usageFailure(`TRELLIS_RELEASES_URL: expected an https:// URL, got '${text}'`));
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname));
  if (!secure) {
    return err(
      usageFailure(`TRELLIS_RELEASES_URL: expected https:// (http:// only for a loopback host), got '${text}'`),
    );
  }
  // A trailing slash, so file names resolve inside the base path rather than beside it.
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`;
  url.search = "";
  url.hash = "";
  return ok(url);
}

const transportFailure = (message: string): CliFailure => ({
  exit: ExitCode.transport,
  code: "release_unreachable",
  type: "TransportError",
  message,
  hint: "check the network or TRELLIS_RELEASES_URL",
});

/** GETs `url`: a network failure, timeout or non-2xx status is exit 5 naming the URL. */
export async function fetchBytes(url: URL, timeoutMs = DOWNLOAD_TIMEOUT_MS): Promise<Result<Uint8Array, CliFailure>> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!response.ok) {
      await response.body?.cancel();
      return err(transportFailure(`GET ${url.href}: HTTP ${response.status}, expected 200`));
    }
    return ok(new Uint8Array(await response.arrayBuffer()));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return err(transportFailure(`GET ${url.href}: ${reason}`));
  }
}

/** `<base>/index.json`, validated; a malformed index is exit 1 naming the URL and the field. */
export async function fetchReleaseIndex(base: URL): Promise<Result<ReleaseIndex, CliFailure>> {
  const url = new URL(INDEX_FILE, base);
  const bytes = await fetchBytes(url, INDEX_TIMEOUT_MS);
  if (bytes.isErr()) return err(bytes.error);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes.value));
  } catch {
    return err({ ...unexpectedFailure(`${url.href}: expected JSON`), code: "release_index_invalid" });
  }
  const parsed = parseReleaseIndex(value);
  if ("problem" in parsed)
    return err({ ...unexpectedFailure(`${url.href} ${parsed.problem}`), code: "release_index_invalid" });
  return ok(parsed.index);
}
