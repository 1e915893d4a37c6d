// The floor bench/serve.js measures the gateway against: the least a proxy can do on node:http
// (read the JSON body, send it to one provider over a keep-alive agent, parse the answer, send
// it back; pipe a stream's bytes through), with no engine, no validation, no metrics. What the gateway costs beyond this is
// understudy's; what this costs is Node's. Forked by serve.js, which talks to it as to a gateway.
import { Agent, createServer, request } from 'node:http';

export async function runBareProxy(config) {
  const target = new URL(`${config.providers[0].baseURL}/chat/completions`);
  const { apiKey, model } = config.providers[0];
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const parts = [];
    req.on('data', (part) => parts.push(part));
    req.on('end', () => {
      const asked = JSON.parse(Buffer.concat(parts).toString());
      const body = JSON.stringify({ ...asked, model });
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${apiKey}` };
      const upstream = request({ hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers }, (answer) => {
        // A stream is relayed as bytes, event by event as they come, without reading them.
        if (asked.stream === true) {
          res.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] });
          return void answer.pipe(res);
        }
        const chunks = [];
        answer.on('data', (chunk) => chunks.push(chunk));
        answer.on('end', () => {
          const text = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString()));
          res.writeHead(answer.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        });
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}
