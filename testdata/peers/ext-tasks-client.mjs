// ext-tasks-client.mjs drives a 2026-07-28 MCP server of the tasks
// extension (io.modelcontextprotocol/tasks) over stateless Streamable HTTP
// with the official requester library, @modelcontextprotocol/ext-tasks, on
// the SDK client @modelcontextprotocol/client.
//
//   node ext-tasks-client.mjs URL run [TOKEN]          tool flows, then a task left running
//   node ext-tasks-client.mjs URL resume TOKEN REF     resume REF (a SerializedTaskReference) as TOKEN
//   node ext-tasks-client.mjs URL owners TOKEN_A TOKEN_B
//
// It prints one JSON object per step on stdout:
//   {"step": NAME, "ok": true,  "ms": N, "result": ...}
//   {"step": NAME, "ok": false, "ms": N, "error": {"code", "message", "data", "name"}}
// and exits 0 unless the script itself breaks; judging the steps is the
// caller's job (cmd/exttasksdemo's Go test).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  createApplicationInputHandler,
  createTaskSessionEndpointId,
  createTaskSessionFromClient,
  resultFromTaskOutcome,
} from '@modelcontextprotocol/ext-tasks/client';

const PROTOCOL_VERSION = '2026-07-28';
const [url, mode, ...rest] = process.argv.slice(2);
if (!url || !mode) {
  process.stderr.write('usage: node ext-tasks-client.mjs URL run|resume|owners [ARGS...]\n');
  process.exit(2);
}

const emit = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
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

const clientInfo = { name: 'ext-tasks-peer-test', version: '0.0.0' };
const clientCapabilities = { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } };

// nameOf is what the Mcp-Name header repeats for a request.
function nameOf(request) {
  const p = request.params ?? {};
  if (request.method === 'tools/call') return p.name;
  if (request.method.startsWith('tasks/')) return p.taskId;
  return undefined;
}

let nextId = 1;

// rawDispatch POSTs one framed request as the stateless transport wants it:
// the protocol version and method headers, Mcp-Name, and the bearer token
// that says whose tasks these are.
function rawDispatchFor(token) {
  return async (request, options = {}) => {
    const body = { jsonrpc: '2.0', id: nextId++, ...request };
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': PROTOCOL_VERSION,
      'Mcp-Method': request.method,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(options.context?.headers ?? {}),
    };
    const name = nameOf(request);
    if (name !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'mcp-name')) headers['Mcp-Name'] = name;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: options.signal });
    const msg = await res.json();
    if (msg.error) return { kind: 'error', error: msg.error };
    return { kind: 'result', result: msg.result };
  };
}

// answers records the input requests the application was asked.
const answers = [];

async function connect(token) {
  const client = new Client(clientInfo, {
    capabilities: clientCapabilities,
    versionNegotiation: { mode: { pin: PROTOCOL_VERSION } },
  });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : undefined,
  });
  await client.connect(transport);
  // The endpoint is the server alone, whoever asks: that the server keeps
  // one requestor's tasks from another is for it to prove, not the library.
  const endpointId = await createTaskSessionEndpointId('exttasksdemo-peer-test', { url });
  const session = createTaskSessionFromClient(client, {
    endpointId,
    rawDispatch: rawDispatchFor(token),
    v2RequestFraming: { protocolVersion: PROTOCOL_VERSION, clientInfo, clientCapabilities },
    onInputRequest: createApplicationInputHandler({
      elicitation: async (request, context) => {
        answers.push({ kind: request.kind, message: request.params.message, scope: context.scope, delivery: context.delivery, taskId: context.taskId ?? null });
        return { action: 'accept', content: { confirm: true, name: 'Ada' } };
      },
      sampling: async () => { throw new Error('no sampling here'); },
      roots: async () => ({ roots: [] }),
    }),
  });
  return { client, session };
}

const text = (result) => result?.content?.find((c) => c.type === 'text')?.text ?? null;

async function settle(execution) {
  const { outcome } = await execution.settle();
  if (outcome.status !== 'completed') return { kind: execution.kind, status: outcome.status, error: outcome.error ? errInfo(outcome.error) : null };
  const result = resultFromTaskOutcome(outcome);
  return { kind: execution.kind, status: outcome.status, text: text(result), isError: result.isError ?? false };
}

if (mode === 'run') {
  const [token] = rest;
  const { session } = await connect(token);
  await step('capabilities', async () => session.capabilities);
  await step('complete', async () => settle(await session.callTool('slow_compute', { seconds: 0.3, label: 'peer' })));
  await step('input', async () => {
    const r = await settle(await session.callTool('confirm_delete', { filename: 'notes.txt' }));
    return { ...r, answers: answers.splice(0) };
  });
  await step('multi-input', async () => {
    const r = await settle(await session.callTool('multi_input', {}));
    return { ...r, answers: answers.splice(0) };
  });
  await step('tool-error', async () => settle(await session.callTool('failing_job', {})));
  await step('cancel', async () => {
    const execution = await session.callTool('slow_compute', { seconds: 30, label: 'to cancel' });
    await execution.cancel();
    const { outcome } = await execution.settle();
    const view = await session.task(execution.handle.taskId).snapshot();
    return { kind: execution.kind, status: outcome.status, serverStatus: view.status };
  });
  // Leave a task running and hand its reference to another process: this
  // one ends without closing the session (closing would cancel it).
  await step('reference', async () => {
    const execution = await session.callTool('slow_compute', { seconds: 1.5, label: 'resumed' });
    return execution.serializeReference();
  });
  process.exit(0);
}

if (mode === 'resume') {
  const [token, ref] = rest;
  const { session } = await connect(token);
  await step('resume', async () => settle(await session.resumeTask(JSON.parse(ref))));
  await session.close();
  process.exit(0);
}

if (mode === 'owners') {
  const [tokenA, tokenB] = rest;
  const a = await connect(tokenA);
  const b = await connect(tokenB);
  const execution = await step('create-a', async () => {
    const e = await a.session.callTool('slow_compute', { seconds: 30, label: 'alice' });
    return { kind: e.kind, taskId: e.handle?.taskId ?? null };
  });
  const taskId = execution?.taskId;
  await step('a-sees-own', async () => (await a.session.task(taskId).snapshot()).status);
  await step('b-get-other', async () => (await b.session.task(taskId).snapshot()).status);
  await step('b-cancel-other', async () => { await b.session.task(taskId).cancel(); return 'acked'; });
  await step('a-after-b', async () => (await a.session.task(taskId).snapshot()).status);
  await step('a-cancel-own', async () => { await a.session.task(taskId).cancel(); return (await a.session.task(taskId).snapshot()).status; });
  process.exit(0);
}

process.stderr.write(`unknown mode ${mode}\n`);
process.exit(2);
