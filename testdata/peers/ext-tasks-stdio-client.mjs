// ext-tasks-stdio-client.mjs drives a 2025-11-25 stdio server through the official
// tasks client library, @modelcontextprotocol/ext-tasks, on the SDK Client of
// @modelcontextprotocol/client:
//
//   node ext-tasks-stdio-client.mjs first  <command> [args...]
//   node ext-tasks-stdio-client.mjs resume <reference-json> <command> [args...]
//
// "first" runs a tool to completion, a tool whose task asks for input
// (routed to the library's application input handler), a cancel, and hands
// off a running task: it prints the task's serialized reference and exits
// without closing its session (the library cancels a released task on
// close). "resume" is the second client process: it resumes that task from
// the reference and settles it. Each step prints one JSON line, as
// ts-client.mjs does; judging them is the Go test's job.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  createApplicationInputHandler,
  createTaskSessionFromClient,
  resultFromTaskOutcome,
} from '@modelcontextprotocol/ext-tasks/client';

const [mode, ...rest] = process.argv.slice(2);
const reference = mode === 'resume' ? JSON.parse(rest.shift()) : undefined;
const [command, ...args] = rest;
if ((mode !== 'first' && mode !== 'resume') || !command) {
  process.stderr.write('usage: node ext-tasks-stdio-client.mjs first|resume [reference] <command> [args...]\n');
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

// What the input handler was asked, with the context the library resolved.
const inputs = [];
const errors = [];
const client = new Client({ name: 'mcpgen-ext-tasks-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
const transport = new StdioClientTransport({ command, args, stderr: 'inherit' });
await step('connect', async () => {
  await client.connect(transport);
  return { capabilities: client.getServerCapabilities() };
});
const session = createTaskSessionFromClient(client, {
  endpointId: 'taskdemo',
  onError: (e) => errors.push(String(e?.message ?? e)),
  onInputRequest: createApplicationInputHandler({
    elicitation: async (request, context) => {
      inputs.push({ kind: request.kind, params: request.params, scope: context.scope, delivery: context.delivery, taskId: context.taskId ?? null });
      return { action: 'accept', content: { confirm: true } };
    },
    sampling: async () => {
      throw new Error('this client does no sampling');
    },
    roots: async () => ({ roots: [] }),
  }),
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

if (mode === 'first') {
  await step('complete', async () => settle(await session.callTool('slow_compute', { seconds: 0.3 })));
  await step('input', async () => {
    const out = await settle(await session.callTool('confirm_delete', { filename: 'notes.txt' }));
    return { ...out, inputs };
  });
  await step('cancel', async () => {
    const execution = await session.callTool('slow_compute', { seconds: 30 });
    setTimeout(() => execution.cancel().catch((e) => errors.push(String(e))), 200);
    return settle(execution);
  });
  await step('handoff', async () => {
    const execution = await session.callTool('slow_compute', { seconds: 4 });
    let persisted;
    await execution.handoff((ref) => {
      persisted = ref;
    });
    return { taskId: execution.handle.taskId, reference: persisted };
  });
  await step('errors', async () => errors);
  // Leave without session.close(): the library would cancel the task it
  // released (ext-tasks 0.2.2), which the second process resumes.
  process.exit(0);
}

await step('resume', async () => {
  const execution = await session.resumeTask(reference);
  return settle(execution);
});
await step('errors', async () => errors);
await session.close();
await client.close();
process.exit(0);
