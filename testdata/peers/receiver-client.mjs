// receiver-client.mjs is an MCP client on this process's stdin and stdout
// that serves task-augmented elicitation/create (2025-11-25) with the
// official receiver of @modelcontextprotocol/ext-tasks, for a Go server
// (the test that runs it) to drive with the generated client.
//
//   node receiver-client.mjs
//
// An elicitation whose message starts with "wait" runs until it is
// cancelled; any other is accepted after 150 ms with content
// {"answer": "from the receiver: <message>"}. A sampling request answers
// the text of its last message reversed, as model "reverser". Diagnostics
// go to stderr.
import { Client } from '@modelcontextprotocol/client';
import { bindTaskReceiver } from '@modelcontextprotocol/ext-tasks/receiver';
import { createInterface } from 'node:readline';

const log = (...args) => process.stderr.write(`receiver-client: ${args.join(' ')}\n`);

// A client transport over this process's own stdin and stdout, one
// JSON-RPC message per line (the other side started this process).
class SelfStdioTransport {
  async start() {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      try {
        this.onmessage?.(JSON.parse(line));
      } catch (e) {
        this.onerror?.(e);
      }
    });
    lines.on('close', () => this.onclose?.());
  }
  async send(message) {
    process.stdout.write(JSON.stringify(message) + '\n');
  }
  async close() {
    this.onclose?.();
  }
}

const client = new Client({ name: 'mcpgen-receiver-peer', version: '0.0.1' }, { capabilities: { elicitation: { form: {} }, sampling: {} } });
const receiver = bindTaskReceiver(client, {
  methods: { 'elicitation/create': true, 'sampling/createMessage': true },
  sampling: async (request, { taskId }) => {
    const messages = request.params.messages ?? [];
    const text = String(messages.at(-1)?.content?.text ?? '');
    log(`task ${taskId}: sampling "${text}"`);
    return { role: 'assistant', model: 'reverser', content: { type: 'text', text: [...text].reverse().join('') } };
  },
  pollIntervalMs: 50,
  ttlMs: 60_000,
  elicitation: async (request, { taskId, signal }) => {
    const message = String(request.params.message ?? '');
    log(`task ${taskId}: elicitation "${message}"`);
    if (message.startsWith('wait')) {
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled'))));
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    return { action: 'accept', content: { answer: `from the receiver: ${message}` } };
  },
  onError: (error, context) => log(`error in ${context.method} ${context.taskId ?? ''}: ${error?.message ?? error}`),
});
client.registerCapabilities({ tasks: receiver.capabilities });
client.onerror = (e) => log(`client error: ${e?.message ?? e}`);
const transport = new SelfStdioTransport();
transport.onclose = () => {
  receiver.close();
  process.exit(0);
};
try {
  await client.connect(transport);
  log(`connected to ${JSON.stringify(client.getServerVersion())}`);
} catch (e) {
  log(`connect failed: ${e?.stack ?? e}`);
  process.exit(1);
}
