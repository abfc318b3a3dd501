/**
 * Colour only on a TTY, off under NO_COLOR or TERM=dumb, forced by
 * FORCE_COLOR or `--color always` (tooling.md §4). citty reads NO_COLOR when
 * it is imported, so this runs before anything imports it.
 */
export function configureColor(rawArgs: readonly string[]): void {
  const flagAt = rawArgs.findIndex((arg) => arg === "--color" || arg.startsWith("--color="));
  const flag =
    flagAt < 0 ? "auto" : rawArgs[flagAt]!.includes("=") ? rawArgs[flagAt]!.split("=")[1] : rawArgs[flagAt + 1];
  const env = process.env;
  const forced = flag === "always" || (flag === "auto" && env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0");
  const off = flag === "never" || env.NO_COLOR !== undefined || env.TERM === "dumb" || !process.stdout.isTTY;
  if (forced) delete env.NO_COLOR;
  else if (off) env.NO_COLOR = "1";
}
