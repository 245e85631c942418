// Paired comparison of the gateway's CPU per request at two git revisions, on bench/gateway's setup
// (the same nginx upstream, token stub, route table, wrk load and 64 connections). The two
// gateways run side by side and are measured in alternating short rounds, so foreign load on a
// shared machine hits both alike; each round gives CPU µs per request (from /proc) for each side,
// and the summary gives the medians and in how many pairs B was cheaper. This is how a change to
// the gateway's hot path is judged when one full `npm run bench -- gateway` is too noisy to show it.
//
//   node bench/src/gateway/compare-revisions.ts <rev A> <rev B> [rounds=10] [seconds=3]
//
// A revision is anything `git archive` takes (a commit, a tag, HEAD); `.` is the working tree as it
// is. Revisions are extracted to a temporary folder whose node_modules links to this checkout's.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@shopnow/testkit';
import { startNode, waitUntilReady } from '../child.ts';
import { median } from '../compare.ts';
import { repoRoot } from '../servers.ts';
import { Teardown } from '../teardown.ts';
import { cpuBetween, sampleCpu } from './cpu.ts';
import { startNginx, upstreamConfig } from './nginx.ts';
import { BENCH_PATH, BENCH_TIER, UPSTREAM_BODY, writeBenchRouteTable } from './route-table.ts';
import { startTokenStub } from './token-stub.ts';
import { wrk } from './wrk.ts';

const [revA, revB, roundsArg, secondsArg] = process.argv.slice(2);
if (revA === undefined || revB === undefined) {
  console.error('usage: compare-revisions.ts <rev A> <rev B> [rounds=10] [seconds=3]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 10);
const seconds = Number(secondsArg ?? 3);
const runDir = mkdtempSync(join(tmpdir(), 'gateway-compare-'));

/** The source at `rev` with this checkout's packages: workspace links point into the extracted tree. */
function checkout(rev: string, name: string): string {
  if (rev === '.') return repoRoot;
  const dir = join(runDir, name);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  const archive = execFileSync('git', ['archive', rev], { cwd: repoRoot, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  const modules = join(repoRoot, 'node_modules');
  for (const entry of readdirSync(modules)) {
    // @shopnow/* are relative links to the workspace folders: copied, they resolve inside `dir`.
    if (entry === '@shopnow')
      cpSync(join(modules, entry), join(dir, 'node_modules', entry), {
        recursive: true,
        verbatimSymlinks: true,
      });
    else symlinkSync(join(modules, entry), join(dir, 'node_modules', entry));
  }
  return dir;
}

const teardown = new Teardown();
try {
  const upstream = await startNginx(teardown, runDir, 'upstream', (dir, port) =>
    upstreamConfig({ dir, port, body: UPSTREAM_BODY }),
  );
  const token = await startTokenStub(teardown);
  const bearer = await token.issuer.user('bench-user', {
    tier: BENCH_TIER,
    roles: ['customer'],
    expiresIn: 3600,
  });
  const headers = { Authorization: `Bearer ${bearer}` };
  const routes = writeBenchRouteTable(runDir);
  const sides = [];
  for (const [name, rev] of [
    ['A', revA],
    ['B', revB],
  ] as const) {
    const port = await freePort();
    const child = startNode(
      `gateway-${name}`,
      ['--import', '@shopnow/chassis/tracing', 'services/gateway/src/main.ts'],
      {
        cwd: checkout(rev, name),
        env: {
          ...process.env,
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          ROUTES_FILE: routes,
          DISCOVERY: 'static',
          SERVICE_URLS: `bench=${upstream.url},token=${token.url}`,
          LOG_LEVEL: 'info',
        },
        logFile: join(runDir, `gateway-${name}.log`),
      },
    );
    teardown.add(() => child.stop());
    await waitUntilReady(child, `http://127.0.0.1:${port}/health/ready`);
    sides.push({
      name,
      rev,
      url: `http://127.0.0.1:${port}${BENCH_PATH}`,
      pid: child.process.pid ?? 0,
      us: [] as number[],
    });
  }
  for (const side of sides) await wrk(side.url, { connections: 64, durationSec: 2, headers });
  for (let round = 0; round < rounds; round++) {
    const line: string[] = [];
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const before = sampleCpu([side.pid]);
      const measured = await wrk(side.url, { connections: 64, durationSec: seconds, headers });
      const cpu = cpuBetween(before, sampleCpu([side.pid]));
      const us = Math.round(((cpu.trees[0] ?? 0) / 100 / measured.rps) * 1e6);
      side.us.push(us);
      line.push(`${side.name} ${measured.rps} rps ${us} µs/req (machine ${cpu.machinePercent}%)`);
    }
    console.log(`round ${round + 1}/${rounds}: ${line.join(', ')}`);
  }
  const [a, b] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const cheaper = b.us.filter((us, i) => us < (a.us[i] ?? 0)).length;
  console.log(
    `A ${a.rev}: median ${median(a.us)} µs/req; B ${b.rev}: median ${median(b.us)} µs/req; B cheaper in ${cheaper} of ${rounds} pairs`,
  );
} finally {
  await teardown.run();
  rmSync(runDir, { recursive: true, force: true });
}
