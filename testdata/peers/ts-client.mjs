// ts-client.mjs drives an MCP stdio server through the task flows of MCP
// 2025-11-25 with the official TypeScript SDK client (experimental tasks API).
//
//   node ts-client.mjs <server-binary> [server flags...]
//
// It prints one JSON object per step on stdout:
//   {"step": NAME, "ok": true,  "ms": N, "result": ...}
//   {"step": NAME, "ok": false, "ms": N, "error": {"code", "message", "data", "name"}}
// and exits 0 unless the script itself breaks; judging the steps is the
// caller's job (cmd/taskdemo's Go test). The server's stderr is passed through.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  TaskStatusNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

const [binary, ...serverArgs] = process.argv.slice(2);
if (!binary) {
  process.stderr.write('usage: node ts-client.mjs <server-binary> [server flags...]\n');
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

const transport = new StdioClientTransport({ command: binary, args: serverArgs, stderr: 'inherit' });

// Tap the wire: every message in and out, to check ids and notifications.
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
// The client hands the negotiated version to transports that want it.
let negotiated = null;
transport.setProtocolVersion = (v) => {
  negotiated = v;
};

const client = new Client({ name: 'mcpgen-ts-client', version: '1.0.0' }, { capabilities: {} });
const clientErrors = [];
client.onerror = (e) => clientErrors.push(String(e?.message ?? e));
const statusNotes = [];
client.setNotificationHandler(TaskStatusNotificationSchema, (n) => {
  statusNotes.push(n.params);
});

const callAsTask = (name, args, ttl) =>
  client.request(
    { method: 'tools/call', params: { name, arguments: args, task: ttl === undefined ? {} : { ttl } } },
    CreateTaskResultSchema,
  );

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
    protocolVersion: negotiated,
    serverInfo: client.getServerVersion(),
    capabilities: client.getServerCapabilities(),
    instructions: client.getInstructions() ?? null,
  };
});

await step('ping', () => client.ping());

await step('tools_list', async () => {
  const res = await client.listTools();
  return {
    tools: res.tools.map((t) => ({ name: t.name, hasExecution: t.execution !== undefined, taskSupport: t.execution?.taskSupport ?? null })),
    nextCursor: res.nextCursor ?? null,
  };
});

await step('echo_plain', () => client.callTool({ name: 'echo', arguments: { text: 'hello from ts' } }));

await step('greet_plain', () => client.callTool({ name: 'greet', arguments: { name: 'ts' } }));

const created = await step('slow_create', () => callAsTask('slow_compute', { seconds: 0.4 }, 60000));
ids.slow = created?.task?.taskId;

await step('slow_poll', () => pollUntilTerminal(ids.slow));

await step('slow_result', () => client.experimental.tasks.getTaskResult(ids.slow, CallToolResultSchema));

// tasks/result blocks until the task ends, without holding up other requests.
await step('blocking_result', async () => {
  const t0 = Date.now();
  const { task } = await callAsTask('slow_compute', { seconds: 0.5 }, 60000);
  ids.blocking = task.taskId;
  let resultAt = null;
  const resultP = client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema).then((r) => {
    resultAt = Date.now() - t0;
    return r;
  });
  await sleep(50);
  await client.ping();
  const pingAt = Date.now() - t0;
  const whileBlocked = await client.experimental.tasks.getTask(task.taskId);
  const getAt = Date.now() - t0;
  const result = await resultP;
  return { taskId: task.taskId, pingAt, getAt, statusWhileBlocked: whileBlocked.status, resultAt, resultPendingAtPing: resultAt === null || resultAt > pingAt, result };
});

await step('echo_task', async () => {
  const { task } = await callAsTask('echo', { text: 'echo as a task' }, 1234);
  ids.echo = task.taskId;
  const result = await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  return { task, result };
});

await step('fails_task', async () => {
  const { task } = await callAsTask('always_fails', {}, 60000);
  ids.fails = task.taskId;
  const polled = await pollUntilTerminal(task.taskId);
  const result = await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  return { final: polled.task, result };
});

await step('fails_plain', () => client.callTool({ name: 'always_fails', arguments: {} }));

await step('fails_task_error', async () => {
  const { task } = await callAsTask('always_fails', { mode: 'error' }, 60000);
  ids.failsError = task.taskId;
  const polled = await pollUntilTerminal(task.taskId);
  let resultError = null;
  try {
    await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  } catch (e) {
    resultError = errInfo(e);
  }
  return { final: polled.task, resultError };
});

await step('list_tasks', async () => {
  const pages = [];
  let cursor;
  do {
    const page = await client.experimental.tasks.listTasks(cursor);
    pages.push({ ids: page.tasks.map((t) => t.taskId), statuses: page.tasks.map((t) => t.status), nextCursor: page.nextCursor ?? null });
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return { pages, known: ids };
});

const running = await step('cancel_create', () => callAsTask('slow_compute', { seconds: 30 }, 60000));
ids.cancelled = running?.task?.taskId;

await step('cancel_get_before', () => client.experimental.tasks.getTask(ids.cancelled));

await step('cancel', () => client.experimental.tasks.cancelTask(ids.cancelled));

await step('cancel_get_after', () => client.experimental.tasks.getTask(ids.cancelled));

await step('cancel_result', () => client.experimental.tasks.getTaskResult(ids.cancelled, CallToolResultSchema));

await step('cancel_again', () => client.experimental.tasks.cancelTask(ids.cancelled));

await step('get_unknown', () => client.experimental.tasks.getTask('no-such-task'));

await step('result_unknown', () => client.experimental.tasks.getTaskResult('no-such-task', CallToolResultSchema));

await step('cancel_unknown', () => client.experimental.tasks.cancelTask('no-such-task'));

await step('cancel_completed', () => client.experimental.tasks.cancelTask(ids.slow));

await step('slow_plain', () =>
  client.request({ method: 'tools/call', params: { name: 'slow_compute', arguments: { seconds: 0.1 } } }, CallToolResultSchema),
);

await step('greet_task', () => callAsTask('greet', { name: 'ts' }, 60000));

await step('unknown_tool_task', () => callAsTask('no_such_tool', {}, 60000));

await step('bad_cursor', () => client.experimental.tasks.listTasks('not-a-cursor'));

await step('bad_arguments', () => callAsTask('slow_compute', { seconds: 'soon' }, 60000));

await step('bad_ttl', () =>
  client.request(
    { method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' }, task: { ttl: 'long' } } },
    CreateTaskResultSchema,
  ),
);

// Status notifications are optional and may trail the responses a little.
await sleep(100);
await step('notifications', () => statusNotes);

await step('wire', () => {
  const sentIds = new Map(wire.out.filter((m) => 'id' in m && 'method' in m).map((m) => [m.id, m]));
  const responses = wire.in.filter((m) => 'id' in m && !('method' in m));
  return {
    sent: wire.out.length,
    received: wire.in.length,
    requests: sentIds.size,
    responses: responses.length,
    unmatched: responses.filter((r) => !sentIds.has(r.id)).map((r) => r.id),
    duplicateResponses: responses.length - new Set(responses.map((r) => r.id)).size,
    notifications: wire.in.filter((m) => !('id' in m)).map((m) => m.method),
    clientErrors,
  };
});

await step('close', () => client.close());
