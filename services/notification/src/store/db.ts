import type pg from 'pg';

/** A pool or a client inside a transaction: store functions work with either. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
