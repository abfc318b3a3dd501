import { gunzipSync } from "node:zlib";
import { err, ok, type Result } from "../../contracts/index.ts";
import { unexpectedFailure, type CliFailure } from "../app/cli-failure.ts";
import { readTar } from "./tar.ts";

/** The `trellis` entry of a downloaded `.tar.gz`; anything malformed names the artifact. */
export function extractBinary(tarball: Uint8Array, artifact: string): Result<Uint8Array, CliFailure> {
  const failure = (message: string) =>
    err({ ...unexpectedFailure(`${artifact}: ${message}`), code: "release_invalid" });
  let tar: Uint8Array;
  try {
    tar = gunzipSync(tarball);
  } catch {
    return failure("expected a gzip-compressed tar archive");
  }
  const read = readTar(tar);
  if ("problem" in read) return failure(read.problem);
  const entry = read.entries.find((e) => e.name === "trellis" || e.name === "./trellis");
  if (entry === undefined) return failure("expected a file 'trellis' at the top of the archive");
  if (entry.data.length === 0) return failure("the 'trellis' entry is empty");
  return ok(entry.data);
}
