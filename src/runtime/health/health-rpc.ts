import { ok, type RpcSurface } from "../../contracts/index.ts";
import { pascalCase } from "../facade/accessor-names.ts";
import type { HealthRegistry, HealthReport } from "./health-checks.ts";

/** `<PascalCase(name)>.Health`: the method a service named `name` may declare (runtime-wire.md §5). */
export function healthMethodName(serviceName: string): string {
  return `${pascalCase(serviceName)}.Health`;
}

/** The declared health RPC, if the contract owns one. */
export function declaredHealthRpc(
  owned: Readonly<Record<string, RpcSurface>>,
  serviceName: string,
): RpcSurface | undefined {
  const name = healthMethodName(serviceName);
  return Object.hasOwn(owned, name) ? owned[name] : undefined;
}

/** The handler the runtime mounts on it. */
export function healthHandler(health: HealthRegistry, serviceName: string) {
  return async () => {
    const report = await health.run();
    const output: HealthReport = {
      status: report.status,
      service: serviceName,
      timestamp: new Date().toISOString(),
      checks: report.checks,
    };
    return ok(output);
  };
}
