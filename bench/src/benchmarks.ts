import { productRead, type RunOptions } from './product-read.ts';
import type { BenchmarkResult } from './report.ts';

export interface Benchmark {
  description: string;
  run(opts: RunOptions): Promise<BenchmarkResult>;
}

/** Every benchmark `npm run bench -- <name>` knows; each measures its own baseline in the same run. */
export const benchmarks: Record<string, Benchmark> = {
  'product-read': {
    description: 'GET /products/:id through the full chassis vs a bare Fastify route answering a constant',
    run: productRead,
  },
};
