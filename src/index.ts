/**
 * worker-forensics: the debugging guide's checks as a library. Notebooks import this (compiled, as
 * `../dist/index.js`); the CLI is a thin layer over the same functions.
 *
 * Layers, in the data's path: sources → typed rows → analyses (pure) → frames and figures → views.
 */
export * from './time.js';
export * from './config/thresholds.js';
export * from './config/markers.js';
export * from './errors.js';
export { redact, redactDeep, findSecrets, registerSecret, registerSecretsFromEnv } from './redact.js';

// Typed rows.
export * from './rows/schemas.js';
export * from './rows/parse.js';
export * from './rows/worker-metadata.js';

// Sources.
export type { Source, SourceKind, WorkerQuery, TaskQuery, LogQuery, ReadOptions, ReadProgress } from './sources/types.js';
export { openSource, parseSourceSpec, defaultSourceSpec, sourceNotice, type SourceSpec } from './sources/open.js';
export { MemorySource, type RawTables } from './sources/memory.js';
export { openDemoSource } from './sources/demo.js';
export { simulateFleet, DEMO_AS_OF, DEFAULT_DEMO_SEED } from './sources/demo-fleet.js';
export { openSnapshotSource, readSnapshotFile, writeSnapshotFile, type SnapshotMeta } from './sources/snapshot.js';
export { openSession, parseAsOf, type Session, type SessionOptions } from './session.js';
export * from './load.js';
export { ProblemLog } from './problems.js';

// Analyses: one module per guide section.
export * from './analyses/format.js';
export * from './analyses/log-order.js';
export * from './analyses/heartbeat.js';
export * from './analyses/death.js';
export * from './analyses/worker-signals.js';
export * from './analyses/worker-status.js';
export * from './analyses/worker-logs.js';
export * from './analyses/worker-tasks.js';
export * from './analyses/heartbeat-gaps.js';
export * from './analyses/model-switch.js';
export * from './analyses/crash-patterns.js';
export * from './analyses/quick-check.js';
export * from './analyses/active-workers.js';
export * from './analyses/recent-workers.js';
export * from './analyses/stale-workers.js';
export * from './analyses/failed-tasks.js';
export * from './analyses/orphaned-tasks.js';
export * from './analyses/model-load-crashes.js';
export * from './analyses/fleet-report.js';
export * from './analyses/memory-profile.js';
export * from './analyses/investigation.js';
export * from './analyses/heartbeat-cadence.js';
export * from './analyses/crash-timing.js';
export * from './analyses/stats.js';

// Reading and analysing in one call (what the CLI commands and notebooks run).
export * as checks from './checks.js';

// Frames, figures, notebook views.
export * from './frames/index.js';
export * from './figures/figure.js';
export * from './figures/heartbeat-timeline.js';
export * from './figures/log-volume.js';
export * from './figures/task-timeline.js';
export * from './figures/crash-timing.js';
export * from './figures/fleet.js';
export * from './figures/html.js';
export * as views from './notebook/views.js';
