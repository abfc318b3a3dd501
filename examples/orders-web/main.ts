// The acme.orders-web@v1 app: one visit to the shop. Needs an approved session key
// (`trellis sessions approve --contract examples/orders-web/contract.ts --session-key <key> ...`).
import { TrellisClient } from "@trellis/runtime";
import contract from "./contract.ts";
import { visitShop } from "./shop.ts";

const trellisUrl = process.env.TRELLIS_URL;
const sessionKeySeed = process.env.TRELLIS_SESSION_KEY_SEED;
if (trellisUrl === undefined || sessionKeySeed === undefined) {
  console.error("set TRELLIS_URL and TRELLIS_SESSION_KEY_SEED");
  process.exit(2);
}

const connected = await TrellisClient.connect({ trellisUrl, contract, sessionKeySeed });
if (connected.isErr()) {
  console.error(`orders-web: cannot connect: ${connected.error.message}`);
  process.exit(1);
}
const client = connected.value;
try {
  await visitShop(client, (line) => console.log(line));
} finally {
  await client.stop();
}
