// The faults in force: the run-time settings from the database when an operator set some, else
// the environment's (SANDBOX_LATENCY_MS, SANDBOX_ERROR_RATE).
import type pg from 'pg';
import type { Faults } from '../domain/faults.ts';
import { clearFaults, readFaults, writeFaults } from '../store/faults.ts';

export type FaultSource = 'runtime' | 'environment';

export interface FaultSettings {
  current(): Promise<Faults & { source: FaultSource }>;
  set(faults: Faults): Promise<void>;
  /** Back to the environment's settings. */
  reset(): Promise<void>;
}

export function faultSettings(db: pg.Pool, fromEnvironment: Faults): FaultSettings {
  return {
    async current() {
      const stored = await readFaults(db);
      return stored === undefined
        ? { ...fromEnvironment, source: 'environment' }
        : { ...stored, source: 'runtime' };
    },
    set: (faults) => writeFaults(db, faults),
    reset: () => clearFaults(db),
  };
}
