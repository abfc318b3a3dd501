import { ulid } from "ulid";
import { err, ok, sha256 } from "../../../contracts/index.ts";
import { base64urlEncode, payloadHash, proofInput, signRequest } from "../../../runtime/index.ts";
import { trellisCommand } from "../../app/command.ts";
import { ExitCode } from "../../app/exit-codes.ts";
import { writeJson, writeResult } from "../../app/output.ts";
import { iatFlag, requiredKeys, SEED_ARGS } from "./key-input.ts";

export default trellisCommand({
  name: "proof",
  description: "Print the steps of an RPC request proof (auth.md §4), with the proof input in hex",
  args: {
    ...SEED_ARGS,
    subject: { type: "string", description: "The exact subject published to", required: true },
    payload: { type: "string", description: "The request body as sent (UTF-8; default empty)" },
    "request-id": { type: "string", description: "The request id (default a new ULID)" },
    iat: { type: "string", description: "Unix seconds (default now)" },
    json: { type: "boolean", description: "Print the steps as JSON" },
  },
  run: async (args) => {
    const keys = await requiredKeys(args);
    if (keys.isErr()) return err(keys.error);
    const iat = iatFlag(args.iat);
    if (iat.isErr()) return err(iat.error);
    const body = new TextEncoder().encode(args.payload ?? "");
    const requestId = args["request-id"] ?? ulid();
    const hash = payloadHash(body);
    const input = proofInput({
      sessionKey: keys.value.sessionKey,
      subject: args.subject,
      payloadHash: hash,
      iat: iat.value,
      requestId,
    });
    const headers = await signRequest(keys.value, { subject: args.subject, body, iat: iat.value, requestId });
    const result = {
      sessionKey: keys.value.sessionKey,
      subject: args.subject,
      iat: iat.value,
      requestId,
      payloadHashBase64url: base64urlEncode(hash),
      proofInputHex: Buffer.from(input).toString("hex"),
      proofDigestBase64url: base64urlEncode(sha256(input)),
      proof: headers.proof,
      headers,
    };
    if (args.json) writeJson(result);
    else {
      const { headers: _headers, ...steps } = result;
      writeResult(
        Object.entries(steps)
          .map(([key, v]) => `${key}=${v}`)
          .join("\n"),
      );
    }
    return ok(ExitCode.ok);
  },
});
