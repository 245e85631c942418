export { type Benchmark, benchmarks } from './benchmarks.ts';
export type { LoadResult, LoadSettings } from './load.ts';
export { productRead, type RunOptions } from './product-read.ts';
export { type BenchmarkResult, type Side, summaryLine } from './report.ts';
