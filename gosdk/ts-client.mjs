// ts-client.mjs drives a go-sdk server with the gosdk module installed through the
// task flows of MCP 2025-11-25, with the official TypeScript SDK client
// (1.32.2, experimental tasks API) from ../testdata/peers/node_modules.
//
//   node ts-client.mjs stdio <server-command> [args...]
//   node ts-client.mjs http <url>
//
// It prints one JSON object per step on stdout:
//   {"step": NAME, "ok": true,  "ms": N, "result": ...}
//   {"step": NAME, "ok": false, "ms": N, "error": {"code", "message", "data", "name"}}
// and exits 0 unless the script itself breaks; judging the steps is the Go
// test's job (adapter_test.go). For stdio the server's stderr is passed through.
//
// The imports are relative: ESM ignores NODE_PATH, and the SDK is installed
// once, under testdata/peers.
import { Client } from '../testdata/peers/node_modules/@modelcontextprotocol/sdk/dist/esm/client/index.js';
import { StdioClientTransport } from '../testdata/peers/node_modules/@modelcontextprotocol/sdk/dist/esm/client/stdio.js';
import { StreamableHTTPClientTransport } from '../testdata/peers/node_modules/@modelcontextprotocol/sdk/dist/esm/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema } from '../testdata/peers/node_modules/@modelcontextprotocol/sdk/dist/esm/types.js';

const [mode, target, ...rest] = process.argv.slice(2);
if (!['stdio', 'http'].includes(mode) || !target) {
  process.stderr.write('usage: node ts-client.mjs stdio <command> [args...] | http <url>\n');
  process.exit(2);
}

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const errInfo = (e) => ({ code: e?.code ?? null, message: String(e?.message ?? e), data: e?.data ?? null, name: e?.name ?? null });

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

const transport =
  mode === 'stdio'
    ? new StdioClientTransport({ command: target, args: rest, env: process.env, stderr: 'inherit' })
    : new StreamableHTTPClientTransport(new URL(target));

// Tap the wire, to check raw results (what the schemas would hide).
const wire = { in: [], out: [] };
let onmessage;
Object.defineProperty(transport, 'onmessage', {
  configurable: true,
  get: () => onmessage,
  set: (fn) => {
    onmessage = fn && ((msg, extra) => {
      wire.in.push(msg);
      return fn(msg, extra);
    });
  },
});
const send = transport.send.bind(transport);
transport.send = (msg, opts) => {
  wire.out.push(msg);
  return send(msg, opts);
};

// The raw response to the last request sent with this method.
function lastResponse(method) {
  const req = [...wire.out].reverse().find((m) => m.method === method && m.id !== undefined);
  return req ? wire.in.find((m) => m.id === req.id && (m.result !== undefined || m.error !== undefined)) ?? null : null;
}

// enforceStrictCapabilities: the client refuses a task-augmented request the
// server's capabilities do not declare.
const client = new Client({ name: 'gosdk-ts-client', version: '1.0.0' }, { capabilities: {}, enforceStrictCapabilities: true });
const clientErrors = [];
client.onerror = (e) => clientErrors.push(String(e?.message ?? e));

const callAsTask = (name, args, ttl) =>
  client.request({ method: 'tools/call', params: { name, arguments: args, task: ttl === undefined ? {} : { ttl } } }, CreateTaskResultSchema);

async function pollUntilTerminal(taskId, limitMs = 10000) {
  const statuses = [];
  const t0 = Date.now();
  for (;;) {
    const t = await client.experimental.tasks.getTask(taskId);
    statuses.push(t.status);
    if (['completed', 'failed', 'cancelled'].includes(t.status)) {
      return { polls: statuses.length, statuses, task: t };
    }
    if (Date.now() - t0 > limitMs) throw new Error(`task ${taskId} still ${t.status} after ${limitMs} ms`);
    await sleep(t.pollInterval ?? 100);
  }
}

const ids = {};

await step('initialize', async () => {
  await client.connect(transport);
  return {
    protocolVersion: lastResponse('initialize')?.result?.protocolVersion ?? null,
    serverInfo: client.getServerVersion(),
    capabilities: client.getServerCapabilities(),
  };
});

await step('tools_list', async () => {
  const res = await client.listTools();
  return {
    tools: res.tools.map((t) => ({ name: t.name, taskSupport: t.execution?.taskSupport ?? null })),
    // What the client concluded from tools/list plus the capabilities.
    isToolTask: Object.fromEntries(res.tools.map((t) => [t.name, client.isToolTask(t.name)])),
  };
});

await step('echo_plain', () => client.callTool({ name: 'echo', arguments: { text: 'hello from ts' } }));

await step('slow_create', async () => {
  const res = await callAsTask('slow', { ms: 300, text: 'as a task' }, 60000);
  ids.slow = res.task.taskId;
  return { parsed: res, raw: lastResponse('tools/call')?.result ?? null };
});

await step('slow_poll', () => pollUntilTerminal(ids.slow));

await step('slow_result', async () => {
  const parsed = await client.experimental.tasks.getTaskResult(ids.slow, CallToolResultSchema);
  return { parsed, raw: lastResponse('tasks/result')?.result ?? null };
});

await step('tasks_list', () => client.experimental.tasks.listTasks());

await step('cancel_terminal', () => client.experimental.tasks.cancelTask(ids.slow));

await step('get_unknown', () => client.experimental.tasks.getTask('no-such-task'));

await step('required_plain', () =>
  client.request({ method: 'tools/call', params: { name: 'research', arguments: { topic: 'x' } } }, CallToolResultSchema));

await step('forbidden_task', () => callAsTask('echo', { text: 'nope' }));

await step('cancel_working', async () => {
  const { task } = await callAsTask('slow', { ms: 5000, text: 'never' });
  const cancelled = await client.experimental.tasks.cancelTask(task.taskId);
  const after = await client.experimental.tasks.getTask(task.taskId);
  let resultError = null;
  try {
    await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  } catch (e) {
    resultError = errInfo(e);
  }
  return { created: task.status, cancelled: cancelled.status, after: after.status, resultError };
});

// tasks/result blocks until the task ends, without holding up other requests.
await step('blocking_result', async () => {
  const t0 = Date.now();
  const { task } = await callAsTask('slow', { ms: 400, text: 'blocking' }, 60000);
  let resultAt = null;
  const resultP = client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema).then((r) => {
    resultAt = Date.now() - t0;
    return r;
  });
  await sleep(50);
  await client.ping();
  const pingAt = Date.now() - t0;
  const whileBlocked = await client.experimental.tasks.getTask(task.taskId);
  const result = await resultP;
  return { pingAt, resultAt, statusWhileBlocked: whileBlocked.status, resultPendingAtPing: resultAt === null || resultAt > pingAt, result };
});

// callToolStream decides on its own to call research as a task, from
// tools/list (taskSupport "required") and the capabilities.
await step('stream_required', async () => {
  const messages = [];
  for await (const m of client.experimental.tasks.callToolStream({ name: 'research', arguments: { topic: 'tasks' } })) {
    messages.push({ type: m.type, status: m.task?.status ?? null, result: m.result ?? null, error: m.error ? errInfo(m.error) : null });
  }
  return { types: messages.map((m) => m.type), last: messages[messages.length - 1] ?? null };
});

await step('boom_task', async () => {
  const { task } = await callAsTask('boom', { text: 'bang' });
  const poll = await pollUntilTerminal(task.taskId);
  const result = await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  return { final: poll.task.status, result };
});

await step('close', async () => {
  await client.close();
  return { clientErrors };
});
