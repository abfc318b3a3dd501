import type { Server } from "bun";
import type { Logger } from "../../runtime/index.ts";
import { bootstrapClient, bootstrapService, type BootstrapDeps, type Reply } from "./bootstrap-handlers.ts";

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The bootstrap endpoint (auth.md §3) on Bun's HTTP server: two POST routes
 * and `/healthz`. Bodies are never logged (they carry signatures); the
 * answer's reason is.
 */
export function startBootstrapServer(options: {
  listen: string;
  deps: BootstrapDeps;
  logger: Logger;
  isReady: () => boolean;
}): Server<undefined> {
  const { hostname, port } = parseListen(options.listen);
  const json = (reply: Reply) => Response.json(reply.body, { status: reply.status });
  return Bun.serve({
    hostname,
    port,
    maxRequestBodySize: MAX_BODY_BYTES,
    fetch: async (request) => {
      const url = new URL(request.url);
      if (request.method === "GET" && url.pathname === "/healthz") {
        return options.isReady()
          ? Response.json({ status: "ok" })
          : Response.json({ status: "starting" }, { status: 503 });
      }
      const route =
        url.pathname === "/bootstrap/client"
          ? bootstrapClient
          : url.pathname === "/bootstrap/service"
            ? bootstrapService
            : undefined;
      if (route === undefined) return Response.json({ reason: "not_found" }, { status: 404 });
      if (request.method !== "POST") return Response.json({ reason: "method_not_allowed" }, { status: 405 });
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        body = undefined;
      }
      try {
        const reply = await route(options.deps, body);
        options.logger.debug({ path: url.pathname, status: reply.status, reason: reply.body.reason }, "bootstrap");
        return json(reply);
      } catch (error) {
        options.logger.error({ path: url.pathname, error }, "bootstrap failed unexpectedly");
        return Response.json({ reason: "internal_error" }, { status: 500 });
      }
    },
  });
}

export function parseListen(listen: string): { hostname: string; port: number } {
  const at = listen.lastIndexOf(":");
  const hostname = at === -1 ? "127.0.0.1" : listen.slice(0, at).replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = Number(at === -1 ? listen : listen.slice(at + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid listen address: ${listen}`);
  return { hostname, port };
}
