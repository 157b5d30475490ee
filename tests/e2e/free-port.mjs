// A free TCP port on the loopback interface, for a server started by a test or benchmark runner
// (bench/lighthouse/run.mjs; the e2e runner asks the server for port 0 instead).
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}
