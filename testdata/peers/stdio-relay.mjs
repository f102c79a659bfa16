// stdio-relay.mjs connects its stdin and stdout to a unix socket:
//
//   node stdio-relay.mjs <socket>
//
// A client that can only spawn its server (StdioClientTransport) reaches,
// through it, a server process that outlives the client: the Go test holds
// one taskdemo process behind the socket, so that a second client process
// meets the tasks of the first.
import net from 'node:net';

const sock = net.connect(process.argv[2]);
process.stdin.pipe(sock);
sock.pipe(process.stdout);
sock.on('close', () => process.exit(0));
sock.on('error', (e) => {
  process.stderr.write(`stdio-relay: ${e.message}\n`);
  process.exit(1);
});
