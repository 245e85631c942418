// The floor of any reverse proxy in one Node process: node:http in, undici (the gateway's client,
// same 64 kept-alive connections) out, the response piped back. No routing, auth, limits, logs or
// metrics. Its requests/s is what the gateway could reach if its features cost nothing, so it
// separates "Node is slower than nginx" from "the gateway's features cost this much".
// Run: PORT=… HOST=127.0.0.1 UPSTREAM_URL=http://127.0.0.1:… node bench/src/gateway/bare-proxy.ts
import { createServer } from 'node:http';
import { Pool } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

const upstream = process.env.UPSTREAM_URL;
if (upstream === undefined) throw new Error('bare-proxy: UPSTREAM_URL is required');
const pool = new Pool(upstream, { connections: 64, pipelining: 1 });

const server = createServer(async (req, res) => {
  try {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'host') headers[name] = value;
    }
    const answer = await pool.request({
      method: req.method as 'GET',
      path: req.url ?? '/',
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
    });
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
    }
    res.writeHead(answer.statusCode, out);
    answer.body.pipe(res);
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
});
server.keepAliveTimeout = 75_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
const stop = () => {
  server.close();
  server.closeAllConnections();
  void pool.close();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
