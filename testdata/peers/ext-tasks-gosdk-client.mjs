// ext-tasks-gosdk-client.mjs drives the go-sdk server of the gosdk module's
// tests (tools "slow" and "research") through the official tasks client
// library, @modelcontextprotocol/ext-tasks, on the SDK Client of
// @modelcontextprotocol/client, over stdio or Streamable HTTP:
//
//   node ext-tasks-gosdk-client.mjs stdio <command> [args...]
//   node ext-tasks-gosdk-client.mjs http <url>
//
// It runs an optional task tool as a task to completion, a required one to its
// structured result, and cancels a long task. Each step prints one JSON
// line, as ext-tasks-stdio-client.mjs does; judging them is the Go test's job.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createTaskSessionFromClient, resultFromTaskOutcome } from '@modelcontextprotocol/ext-tasks/client';

const [mode, target, ...args] = process.argv.slice(2);
if ((mode !== 'stdio' && mode !== 'http') || !target) {
  process.stderr.write('usage: node ext-tasks-gosdk-client.mjs stdio <command> [args...] | http <url>\n');
  process.exit(2);
}

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const errInfo = (e) => ({ code: e?.code ?? null, message: String(e?.message ?? e), name: e?.name ?? null });
async function step(name, fn) {
  const t0 = Date.now();
  try {
    const result = await fn();
    emit({ step: name, ok: true, ms: Date.now() - t0, result: result ?? null });
    return result;
  } catch (e) {
    emit({ step: name, ok: false, ms: Date.now() - t0, error: errInfo(e) });
    return undefined;
  }
}

const errors = [];
const client = new Client({ name: 'mcpgen-ext-tasks-gosdk-client', version: '1.0.0' }, { capabilities: {} });
const transport = mode === 'stdio'
  ? new StdioClientTransport({ command: target, args, env: process.env, stderr: 'inherit' })
  : new StreamableHTTPClientTransport(new URL(target));
await step('connect', async () => {
  await client.connect(transport);
  return { capabilities: client.getServerCapabilities(), protocolVersion: transport.protocolVersion ?? null };
});
const session = createTaskSessionFromClient(client, {
  endpointId: 'gosdk',
  onError: (e) => errors.push(String(e?.message ?? e)),
});

// settle runs an execution to its outcome, keeping the statuses it saw.
async function settle(execution) {
  const statuses = [];
  const { outcome } = await execution.settle({
    onEvent: (event) => {
      if (event.type === 'task') statuses.push(event.task.status);
    },
  });
  const result = outcome.status === 'completed' ? resultFromTaskOutcome(outcome) : null;
  return { kind: execution.kind, taskId: execution.handle?.taskId ?? null, statuses, status: outcome.status, result, task: outcome.task?.raw ?? null };
}

// "slow" is optional: the library runs it as a task when asked to.
const asTask = { task: { preference: 'prefer' } };
await step('complete', async () => settle(await session.callTool('slow', { ms: 300, text: 'ext' }, asTask)));
await step('required', async () => settle(await session.callTool('research', { topic: 'tides' })));
await step('cancel', async () => {
  const execution = await session.callTool('slow', { ms: 30000, text: 'never' }, asTask);
  setTimeout(() => execution.cancel().catch((e) => errors.push(String(e))), 200);
  return settle(execution);
});
await step('errors', async () => errors);
await session.close();
await client.close();
process.exit(0);
