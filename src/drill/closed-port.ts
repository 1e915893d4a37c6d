import { createServer } from 'node:net';

/**
 * A base URL on 127.0.0.1 whose port was bound a moment ago and closed again, so nothing listens
 * there: a connection to it is refused, exactly like a provider URL with a wrong port.
 */
export async function closedPortBaseURL(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not find a free port for the bad-url scenario');
  return `http://127.0.0.1:${address.port}/v1`;
}
