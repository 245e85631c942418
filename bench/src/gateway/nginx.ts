// nginx for the gateway benchmark, in two roles: the constant upstream every side calls, and the
// plain reverse proxy the gateway is compared with. Each instance runs in the foreground from its
// own prefix directory (config, pid, temp dirs, logs), never touching the system's nginx.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@shopnow/testkit';
import { type Child, waitUntilReady } from '../child.ts';
import type { Teardown } from '../teardown.ts';

/** Debian's nginx; NGINX_BIN overrides. */
export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export function nginxAvailable(): boolean {
  return existsSync(NGINX_BIN);
}

export interface RunningNginx {
  child: Child;
  url: string;
  /** The prefix directory (nginx.conf, logs). */
  dir: string;
}

/** `worker_processes` value: 1 (one core, like the one gateway process) or `auto` (one per core). */
export type Workers = 1 | 'auto';

/**
 * The constant upstream: `body` as application/json for every path (the gateway's health checks
 * on /health/ready included). No access log: it is the same for every side and not measured.
 */
export function upstreamConfig(opts: { dir: string; port: number; body: string }): string {
  return mainConfig(opts.dir, 1, [
    'access_log off;',
    'server {',
    `  listen 127.0.0.1:${opts.port} backlog=4096;`,
    '  keepalive_requests 1000000;',
    '  location / {',
    '    default_type application/json;',
    `    return 200 '${opts.body.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}';`,
    '  }',
    '}',
  ]);
}

/**
 * nginx as a plain reverse proxy to `upstreamUrl`: HTTP/1.1 with a keep-alive pool of 64
 * connections (the gateway's default per instance), and an access log line per request to a file,
 * buffered like the gateway's (64 KiB), with the fields an operator needs (JSON, as the gateway's).
 */
export function proxyConfig(opts: {
  dir: string;
  port: number;
  upstreamUrl: string;
  workers: Workers;
}): string {
  const upstream = new URL(opts.upstreamUrl);
  return mainConfig(opts.dir, opts.workers, [
    'log_format bench escape=json \'{"time":"$time_iso8601","request_id":"$request_id",\'',
    '  \'"client_ip":"$remote_addr","method":"$request_method","path":"$uri",\'',
    '  \'"status":$status,"ms":$request_time,"upstream_ms":"$upstream_response_time",\'',
    '  \'"upstream":"$upstream_addr","bytes":$bytes_sent}\';',
    `access_log ${join(opts.dir, 'access.log')} bench buffer=64k flush=1s;`,
    'upstream bench {',
    `  server ${upstream.host};`,
    '  keepalive 64;',
    '  keepalive_requests 1000000;',
    '}',
    'server {',
    `  listen 127.0.0.1:${opts.port} backlog=4096;`,
    '  keepalive_requests 1000000;',
    '  location / {',
    '    proxy_pass http://bench;',
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    '  }',
    '}',
  ]);
}

function mainConfig(dir: string, workers: Workers, http: string[]): string {
  return [
    // The master runs as whoever started it; as root, nginx would otherwise switch workers to nobody.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    `worker_processes ${workers};`,
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    `  client_body_temp_path ${join(dir, 'tmp', 'body')};`,
    `  proxy_temp_path ${join(dir, 'tmp', 'proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'tmp', 'fastcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'tmp', 'uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'tmp', 'scgi')};`,
    '  server_tokens off;',
    ...http.map((line) => `  ${line}`),
    '}',
    '',
  ].join('\n');
}

/**
 * Writes `config(dir, port)` to `<runDir>/<name>/nginx.conf` and runs nginx in the foreground
 * (`daemon off`, so stopping the child stops it); resolves once `readyPath` answers 200.
 */
export async function startNginx(
  teardown: Teardown,
  runDir: string,
  name: string,
  config: (dir: string, port: number) => string,
  readyPath = '/',
): Promise<RunningNginx> {
  const dir = join(runDir, name);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const port = await freePort();
  const confFile = join(dir, 'nginx.conf');
  writeFileSync(confFile, config(dir, port));
  const logFile = join(dir, 'stderr.log');
  const fd = openSync(logFile, 'a');
  const proc = spawn(NGINX_BIN, ['-p', dir, '-c', confFile, '-g', 'daemon off;'], {
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const child: Child = {
    name,
    process: proc,
    logFile,
    stop: () => {
      // SIGQUIT: graceful (workers finish, buffered access-log lines are flushed).
      stopping ??= (async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGQUIT');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
  teardown.add(() => child.stop());
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, `${url}${readyPath}`);
  return { child, url, dir };
}
