import { expect, test } from "bun:test";
import { loadManifest, parseManifest, parsePointer } from "../../src/contracts/index.ts";
import { SEEDS } from "./manifest-fixtures.ts";
import { MUTATIONS, type Mutation } from "./manifest-mutations.ts";
import { intBelow, seededRandom, type Random } from "./prng.ts";

/**
 * Random mutations of valid manifests (the conformance input, Appendix A and
 * a rich manifest), replayable from the seed. Each case applies up to two
 * validity-keeping mutations and, half of the time, one invalidating
 * mutation last, so nothing applied later can repair it. parseManifest must
 * never throw, must reject every case with an invalidating mutation, accept
 * every other one, and keep the digest when only same-digest mutations ran.
 */
const CASES = 10_000;
const SEED = 20261204;

const keeping = MUTATIONS.filter((m) => m.outcome !== "invalid");
const breaking = MUTATIONS.filter((m) => m.outcome === "invalid");

function weighted(random: Random, mutations: readonly Mutation[]): Mutation {
  const total = mutations.reduce((sum, m) => sum + m.weight, 0);
  let roll = random() * total;
  for (const mutation of mutations) {
    roll -= mutation.weight;
    if (roll < 0) return mutation;
  }
  return mutations[mutations.length - 1]!;
}

test(`fuzz: ${CASES} mutated manifests`, () => {
  const random = seededRandom(SEED);
  const seedDigests = SEEDS.map((seed) => loadManifest(seed.make()).orThrow().digest);
  const applied = new Map<string, number>();
  let counter = 0;
  let rejected = 0;
  const started = performance.now();

  for (let index = 0; index < CASES; index++) {
    const seedIndex = intBelow(random, SEEDS.length);
    const c = { root: SEEDS[seedIndex]!.make() as unknown, random, counter: () => counter++ };
    const names: string[] = [];
    let expectValid = true;
    let sameDigest = true;
    const apply = (pool: readonly Mutation[]) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const mutation = weighted(random, pool);
        if (!mutation.apply(c)) continue;
        names.push(mutation.name);
        applied.set(mutation.name, (applied.get(mutation.name) ?? 0) + 1);
        if (mutation.outcome === "invalid") expectValid = false;
        if (mutation.outcome !== "same-digest") sameDigest = false;
        return;
      }
    };
    for (let k = intBelow(random, 3); k > 0; k--) apply(keeping);
    if (random() < 0.5) apply(breaking);

    const where = () => `case ${index} (seed '${SEEDS[seedIndex]!.name}', mutations: ${names.join(" + ") || "none"})`;
    let result: ReturnType<typeof parseManifest>;
    try {
      result = parseManifest(c.root);
    } catch (error) {
      throw new Error(`${where()}: parseManifest threw ${String(error)}`);
    }
    if (result.isErr()) {
      rejected++;
      const issues = result.error.issues;
      if (expectValid) throw new Error(`${where()}: expected acceptance, got ${JSON.stringify(issues.slice(0, 5))}`);
      if (issues.length === 0) throw new Error(`${where()}: rejected without issues`);
      for (const issue of issues) {
        if (parsePointer(issue.path) === undefined || issue.message.length === 0) {
          throw new Error(`${where()}: malformed issue ${JSON.stringify(issue).slice(0, 200)}`);
        }
      }
    } else {
      if (!expectValid) throw new Error(`${where()}: expected rejection, but it was accepted`);
      if (sameDigest) {
        const digest = loadManifest(c.root).orThrow().digest;
        if (digest !== seedDigests[seedIndex]) throw new Error(`${where()}: digest changed`);
      }
    }
  }

  const elapsed = performance.now() - started;
  console.log(`fuzz: ${CASES} cases, ${rejected} rejected, ${elapsed.toFixed(0)} ms`);
  // Every mutation kind ran often enough to mean something.
  for (const mutation of MUTATIONS) expect(applied.get(mutation.name) ?? 0).toBeGreaterThan(20);
  expect(rejected).toBeGreaterThan(CASES * 0.4);
  expect(rejected).toBeLessThan(CASES * 0.6);
}, 60_000);
