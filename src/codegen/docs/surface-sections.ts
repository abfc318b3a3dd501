import {
  wildcardSubject,
  type EventDescriptor,
  type FeedDescriptor,
  type OperationDescriptor,
  type RpcDescriptor,
} from "../../contracts/index.ts";
import { capsText, docsBlocks, type DocsContext } from "./context.ts";
import { code, codeList, facts, sortedKeys } from "./markdown.ts";

/** One section per surface kind; each surface gets its facts, then its schemas. */

export function rpcSection(ctx: DocsContext): string[] {
  return kindSection(ctx.manifest.rpc, "RPC", (name, rpc: RpcDescriptor) => [
    `### ${name}`,
    ...docsBlocks(rpc.docs),
    facts([
      ["Subject", code(rpc.subject)],
      ["Version", rpc.version],
      ["Call requires", capsText(rpc.capabilities?.call)],
      ["Errors", codeList([...new Set((rpc.errors ?? []).map((e) => e.type))].sort())],
      ...(rpc.transfer ? ([["Transfer", "receive: answers with a download grant"]] as const) : []),
    ]),
    ...ctx.schemaBlock("Input", rpc.input),
    ...ctx.schemaBlock("Output", rpc.output),
  ]);
}

export function operationsSection(ctx: DocsContext): string[] {
  return kindSection(ctx.manifest.operations, "Operations", (name, op: OperationDescriptor) => {
    const caps = op.capabilities ?? {};
    const cancel =
      op.cancel !== true
        ? "not cancellable"
        : caps.cancel === undefined
          ? "cancellable by the owner only (no cancel capability list)"
          : `requires ${capsText(caps.cancel)}`;
    const transfer = op.transfer;
    return [
      `### ${name}`,
      ...docsBlocks(op.docs),
      facts([
        ["Subject", code(op.subject)],
        ["Control subject", code(`${op.subject}.control`)],
        ["Version", op.version],
        ["Start requires", capsText(caps.call)],
        [
          "Observe requires",
          caps.observe === undefined ? `same as start: ${capsText(caps.call)}` : capsText(caps.observe),
        ],
        ["Cancel", cancel],
        ["Signals require", caps.control === undefined ? "no extra capability" : capsText(caps.control)],
        ["Signals", codeList(sortedKeys(op.signals))],
        ...(transfer
          ? ([
              [
                "Transfer",
                `send to store ${code(transfer.store)}, key ${code(transfer.key)}` +
                  (transfer.contentType ? `, content type ${code(transfer.contentType)}` : "") +
                  (transfer.metadata ? `, metadata ${code(transfer.metadata)}` : "") +
                  (transfer.maxBytes !== undefined ? `, at most ${transfer.maxBytes} bytes` : "") +
                  (transfer.expiresInMs !== undefined ? `, grant expires in ${transfer.expiresInMs} ms` : ""),
              ],
            ] as const)
          : []),
      ]),
      ...ctx.schemaBlock("Input", op.input),
      ...(op.progress ? ctx.schemaBlock("Progress", op.progress) : []),
      ...ctx.schemaBlock("Output", op.output),
      ...sortedKeys(op.signals).flatMap((signal) => [
        ...docsBlocks(op.signals![signal]!.docs),
        ...ctx.schemaBlock(`Signal ${code(signal)}`, op.signals![signal]!.input),
      ]),
    ];
  });
}

export function eventsSection(ctx: DocsContext): string[] {
  return kindSection(ctx.manifest.events, "Events", (name, event: EventDescriptor) => [
    `### ${name}`,
    ...docsBlocks(event.docs),
    facts([
      ["Subject", code(event.subject)],
      ...((event.params ?? []).length > 0
        ? ([
            ["Subscribe pattern", code(wildcardSubject(event.subject))],
            ["Params", (event.params ?? []).map(code).join(", ")],
          ] as const)
        : []),
      ["Version", event.version],
      [
        "Publish requires",
        event.capabilities?.publish === undefined ? "only the owner publishes" : capsText(event.capabilities.publish),
      ],
      ["Subscribe requires", capsText(event.capabilities?.subscribe)],
    ]),
    ...ctx.schemaBlock("Event", event.event),
  ]);
}

export function feedsSection(ctx: DocsContext): string[] {
  return kindSection(ctx.manifest.feeds, "Feeds", (name, feed: FeedDescriptor) => [
    `### ${name}`,
    ...docsBlocks(feed.docs),
    facts([
      ["Subject", code(feed.subject)],
      ["Version", feed.version],
      ["Subscribe requires", capsText(feed.capabilities?.subscribe)],
    ]),
    ...ctx.schemaBlock("Input", feed.input),
    ...ctx.schemaBlock("Items", feed.event),
  ]);
}

function kindSection<D>(
  section: Record<string, D> | undefined,
  title: string,
  render: (name: string, descriptor: D) => string[],
): string[] {
  const names = sortedKeys(section);
  if (names.length === 0) return [];
  return [`## ${title}`, ...names.flatMap((name) => render(name, section![name]!))];
}
