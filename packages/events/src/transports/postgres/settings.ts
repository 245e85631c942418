// The timing of the PostgreSQL transport. The numbers are chosen together; change one and check
// the others against the reasoning here.
//
// A delivery whose consumer died (SIGKILL, OOM, a lost machine) must come back within seconds, not
// after pg-boss's default expiry of 15 minutes, while a handler that is alive and merely slow must
// never lose its delivery. pg-boss has two clocks on an active job:
//
// - the heartbeat: the worker refreshes `heartbeat_on` every HEARTBEAT_REFRESH_SECONDS while the
//   handler runs (a timer, independent of what the handler does), and the supervisor fails a job
//   whose heartbeat is older than HEARTBEAT_SECONDS back to `retry`. Only a dead (or frozen for
//   > 7 s) process stops refreshing, so this is the clock that detects death. 10 s is pg-boss's
//   minimum; refreshing every 3 s leaves 7 s of slack for a slow touch or a long GC pause.
// - the expiry: `expireInSeconds` bounds the whole handler run, alive or not (pg-boss enforces it in
//   the worker and in the supervisor). It is kept long (15 min) so that it only catches a hung
//   handler; a slow one is kept alive by its heartbeat.
//
// The supervisor pass that fails stale heartbeats runs every SUPERVISE_INTERVAL_SECONDS (pg-boss's
// default is 60 s) in every instance, claimed per queue so one instance does each queue per pass.
// A failed-back job has retryDelay 0, but no NOTIFY, so a worker finds it at its next poll.
//
// Worst case from death to redelivery: the last refresh up to 3 s before death, stale 10 s after
// that refresh (so at most 10 s after death), the next supervisor pass within 5 s, the next poll
// within POLLING (2 s): about 17 s; typically 10-15 s. A graceful stop or `abort()` fails the jobs
// in hand at once instead, so those come back within one poll.

/** Heartbeat a worker must keep up on a job in hand (pg-boss's minimum). */
export const HEARTBEAT_SECONDS = 10;
/** How often a worker refreshes the heartbeat of each job in hand. */
export const HEARTBEAT_REFRESH_SECONDS = 3;
/** Supervisor pass: stale heartbeats, expired jobs, queue stats. */
export const SUPERVISE_INTERVAL_SECONDS = 5;
/** A handler still running after this is taken for hung; its delivery is made again (the inbox dedupes). */
export const EXPIRE_IN_SECONDS = 15 * 60;
/**
 * Backstop poll. NOTIFY wakes workers at the commit of a publish, and a retry wakes this instance's
 * workers when it falls due; the poll catches what neither covers (a retry scheduled by an instance
 * that has gone, a job failed back by the supervisor, a NOTIFY lost while LISTEN reconnects).
 */
export const DEFAULT_POLLING_INTERVAL_SECONDS = 2;
/**
 * How long pending work is kept. pg-boss deletes jobs still waiting after their retention, so this is
 * "never" in practice: a year (the runtime gives up on an event after a few attempts, dead-letters
 * it in the service's own database and acknowledges it).
 */
export const PENDING_RETENTION_SECONDS = 365 * 24 * 3600;
/**
 * Completed jobs are deleted this soon (pg-boss's minimum; 0 would mean never). Nothing reads them,
 * and every supervisor pass runs pg-boss's queue-stats aggregate, a scan of the whole job table:
 * kept 10 minutes at 500 events/s that is 300,000 rows scanned every SUPERVISE_INTERVAL_SECONDS on
 * the bus database. The event itself stays on record in the consumer's inbox.
 */
export const COMPLETED_RETENTION_SECONDS = 1;
/** How often completed jobs are deleted: the job table holds about this many seconds of them. */
export const MAINTENANCE_INTERVAL_SECONDS = 10;
/**
 * pg-boss's own retries: a job failed back after a death, an expiry or a shutdown. They never end
 * (a terminal failure would drop the event); the runtime's retries are separate (see postgres.ts).
 */
export const PG_BOSS_RETRY_LIMIT = 1_000_000;

/** The options of every consumer group's queue (applied on creation and on every consume). */
export const GROUP_QUEUE_OPTIONS = {
  notify: true,
  heartbeatSeconds: HEARTBEAT_SECONDS,
  expireInSeconds: EXPIRE_IN_SECONDS,
  retryLimit: PG_BOSS_RETRY_LIMIT,
  retryDelay: 0,
  retryBackoff: false,
  retentionSeconds: PENDING_RETENTION_SECONDS,
  deleteAfterSeconds: COMPLETED_RETENTION_SECONDS,
};
