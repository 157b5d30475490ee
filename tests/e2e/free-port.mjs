// A free TCP port on the loopback interface, for a server started by a test or benchmark runner
// (tests/e2e/run.mjs, bench/lighthouse/run.mjs).
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
