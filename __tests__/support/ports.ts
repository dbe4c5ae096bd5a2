/**
 * Free TCP ports on 127.0.0.1 for child processes that must be told their port up front
 * (the registry binary cannot report a port it picked itself).
 */
import net from 'node:net';

/** Binds a throwaway server to port 0 on 127.0.0.1, reads the port the kernel chose and closes it. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** True when an error (or a captured stderr text) says the port was taken in the meantime. */
export function isAddressInUse(err: unknown): boolean {
  const text =
    err instanceof Error ? `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}` : String(err);
  return /EADDRINUSE|address already in use/i.test(text);
}

/**
 * Runs `start` with a fresh free port, retrying with another port when the one picked was
 * grabbed by someone else between the probe and the bind (a race other tests can win).
 * Default attempts: 5.
 */
export async function withFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await findFreePort();
    try {
      return await start(port);
    } catch (err: unknown) {
      if (!isAddressInUse(err)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}
