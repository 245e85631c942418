// Crashes for fault runs: SIGKILL a random running instance of the chosen services, again and again,
// while the launcher restarts them. Seeded, so a failing run can be replayed with the same choices
// (the timing of the platform's answers still differs; the kills' order and pauses do not).

/** A row of the launcher's GET /status (tools/launcher/src/runtime/status-snapshot.ts). */
export interface InstanceStatus {
  service: string;
  instance: string;
  pid?: number;
  status: string;
  restarts?: number;
}

/** What runs where, as the launcher reports it. */
export async function launcherStatus(launcherUrl: string): Promise<InstanceStatus[]> {
  const res = await fetch(`${launcherUrl}/status`);
  if (res.status !== 200) throw new Error(`launcher status: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { processes: InstanceStatus[] }).processes;
}

/** A deterministic generator of numbers in [0, 1) (mulberry32): one seed, one sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Kill {
  service: string;
  instance: string;
  pid: number;
  /** Milliseconds since the killer started. */
  atMs: number;
}

export interface KillerOptions {
  launcherUrl: string;
  /** Services whose instances may be killed. */
  services: readonly string[];
  random: () => number;
  /** Pause before each kill, drawn uniformly from this range. Default 3–8 s. */
  pauseMs?: { min: number; max: number };
  /**
   * An instance killed is left alone this long. Longer than the launcher's stableAfterMs (30 s),
   * so every crash is a first crash and the restart comes after the first, short backoff delay
   * instead of a growing one: the run measures recovery, not the launcher's patience.
   */
  restMs?: number;
  onKill?: (kill: Kill) => void;
}

export interface ProcessKiller {
  /** Every kill so far. */
  readonly kills: readonly Kill[];
  /** Stops after the current pause (cut short); resolves with every kill made. */
  stop(): Promise<readonly Kill[]>;
}

/** Starts killing at once (after the first pause); runs until stop(). */
export function killAtRandom(options: KillerOptions): ProcessKiller {
  const { launcherUrl, services, random, onKill } = options;
  const pause = options.pauseMs ?? { min: 3000, max: 8000 };
  const restMs = options.restMs ?? 35_000;
  const kills: Kill[] = [];
  const lastKilled = new Map<string, number>();
  const startedAt = Date.now();
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (!stopped) {
      await sleep(pause.min + random() * (pause.max - pause.min));
      if (stopped) break;
      // Only ready instances: one still starting has not taken work yet, and killing it again would
      // push the launcher's backoff up.
      const now = Date.now();
      const candidates = (await launcherStatus(launcherUrl)).filter(
        (p): p is InstanceStatus & { pid: number } =>
          services.includes(p.service) &&
          p.status === 'ready' &&
          p.pid !== undefined &&
          now - (lastKilled.get(p.instance) ?? Number.NEGATIVE_INFINITY) >= restMs,
      );
      // Drawn even when there is nothing to kill, so a seed gives the same sequence of draws.
      const victim = candidates[Math.floor(random() * candidates.length)];
      if (victim === undefined) continue;
      try {
        process.kill(victim.pid, 'SIGKILL');
      } catch {
        continue; // gone between the status and the kill
      }
      lastKilled.set(victim.instance, now);
      const kill = {
        service: victim.service,
        instance: victim.instance,
        pid: victim.pid,
        atMs: now - startedAt,
      };
      kills.push(kill);
      onKill?.(kill);
    }
  })();
  // A failure (the launcher gone) surfaces from stop(), not as an unhandled rejection meanwhile.
  loop.catch(() => undefined);

  return {
    kills,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      return kills;
    },
  };
}
