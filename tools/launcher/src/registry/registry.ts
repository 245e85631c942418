/**
 * The embedded runtime's service registry: instances register themselves with
 * a lease (ttlMs) and renew it by heartbeat. An instance is resolvable while
 * its lease is current and its last health check passed; an expired lease
 * removes it. Pure in-memory state with an injectable clock.
 */
export interface InstanceRecord {
  id: string;
  url: string;
  registeredAt: string;
  lastSeen: string;
}

export interface RegistryEntry {
  service: string;
  id: string;
  url: string;
  ttlMs: number;
  registeredAt: number;
  lastSeen: number;
  healthy: boolean;
}

export type RegistryEvent = {
  type: 'registered' | 'deregistered' | 'expired' | 'unhealthy' | 'healthy';
  service: string;
  id: string;
  url: string;
};

export interface RegistryOptions {
  now?: () => number;
  onEvent?: (event: RegistryEvent) => void;
}

export class InstanceRegistry {
  readonly #entries = new Map<string, RegistryEntry>();
  readonly #now: () => number;
  readonly #onEvent: (event: RegistryEvent) => void;

  constructor(opts: RegistryOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#onEvent = opts.onEvent ?? (() => undefined);
  }

  /** Register or renew. A new URL under the same id counts as a new registration. */
  upsert(service: string, id: string, input: { url: string; ttlMs: number }): RegistryEntry {
    this.sweep();
    const key = keyOf(service, id);
    const now = this.#now();
    const current = this.#entries.get(key);
    if (current && current.url === input.url) {
      current.lastSeen = now;
      current.ttlMs = input.ttlMs;
      return current;
    }
    // Healthy until a check says otherwise: the chassis registers only once it listens.
    const entry: RegistryEntry = { service, id, ...input, registeredAt: now, lastSeen: now, healthy: true };
    this.#entries.set(key, entry);
    this.#emit('registered', entry);
    return entry;
  }

  remove(service: string, id: string): boolean {
    const entry = this.#entries.get(keyOf(service, id));
    if (!entry) return false;
    this.#entries.delete(keyOf(service, id));
    this.#emit('deregistered', entry);
    return true;
  }

  /** Records a health-check result; an unhealthy instance stays tracked but is not resolvable. */
  setHealth(service: string, id: string, url: string, healthy: boolean): void {
    const entry = this.#entries.get(keyOf(service, id));
    // The instance may have re-registered elsewhere while the check ran.
    if (!entry || entry.url !== url || entry.healthy === healthy) return;
    entry.healthy = healthy;
    this.#emit(healthy ? 'healthy' : 'unhealthy', entry);
  }

  /** Resolvable instances of one service. */
  instances(service: string): InstanceRecord[] {
    return this.entries()
      .filter((e) => e.service === service && e.healthy)
      .map(toRecord);
  }

  /** Resolvable instances of every service that has any. */
  services(): Record<string, InstanceRecord[]> {
    const out: Record<string, InstanceRecord[]> = {};
    for (const entry of this.entries()) {
      if (!entry.healthy) continue;
      const list = out[entry.service] ?? [];
      list.push(toRecord(entry));
      out[entry.service] = list;
    }
    return out;
  }

  /** Every tracked instance with a current lease, healthy or not. */
  entries(): RegistryEntry[] {
    this.sweep();
    return [...this.#entries.values()].sort((a, b) =>
      keyOf(a.service, a.id).localeCompare(keyOf(b.service, b.id)),
    );
  }

  /** Drops instances whose lease ran out. */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (now - entry.lastSeen > entry.ttlMs) {
        this.#entries.delete(key);
        this.#emit('expired', entry);
      }
    }
  }

  #emit(type: RegistryEvent['type'], entry: RegistryEntry): void {
    this.#onEvent({ type, service: entry.service, id: entry.id, url: entry.url });
  }
}

const keyOf = (service: string, id: string): string => `${service}/${id}`;

const toRecord = (entry: RegistryEntry): InstanceRecord => ({
  id: entry.id,
  url: entry.url,
  registeredAt: new Date(entry.registeredAt).toISOString(),
  lastSeen: new Date(entry.lastSeen).toISOString(),
});
