/**
 * worker-forensics: the debugging guide's checks as a library. Notebooks import this (compiled, as
 * `../dist/index.js`); the CLI is a thin layer over the same functions.
 *
 * Layers, in the data's path (imports go one way): foundation → rows → sources → analyses → checks
 * → presentation → CLI and notebooks. See the README's Layout.
 */
// Foundation: thresholds and markers of the guide, errors, redaction.
export * from './config/thresholds.js';
export * from './config/markers.js';
export * from './config/vocabulary.js';
export * from './config/traces.js';
export * from './config/error-templates.js';
export * from './errors.js';
export { redact, redactDeep, findSecrets, registerSecret, registerSecretsFromEnv } from './redact.js';

// Typed rows: instants, schemas, validation, order, windows, per-worker log signals.
export * from './rows/time.js';
export * from './rows/schemas.js';
export * from './rows/parse.js';
export * from './rows/worker-metadata.js';
export * from './rows/order.js';
export * from './rows/log-lines.js';
export * from './rows/window.js';
export * from './rows/signals.js';
export { ProblemLog } from './rows/problems.js';

// Sources (read only).
export type { Source, SourceKind, WorkerQuery, TaskQuery, LogQuery, ReadOptions, ReadProgress } from './sources/types.js';
export { openSource, parseSourceSpec, defaultSourceSpec, sourceNotice, type SourceSpec } from './sources/open.js';
export { MemorySource, type RawTables } from './sources/memory.js';
export { openDemoSource } from './sources/demo.js';
export { simulateFleet, DEMO_AS_OF, DEFAULT_DEMO_SEED } from './sources/demo-fleet.js';
export { openSnapshotSource, readSnapshotFile, writeSnapshotFile, type SnapshotMeta } from './sources/snapshot.js';

// Analyses (pure): one module per guide section, and what they share.
export * from './analyses/cases.js';
export * from './analyses/coverage.js';
export * from './analyses/heartbeat.js';
export * from './analyses/death.js';
export * from './analyses/worker-signals.js';
export * from './analyses/stats.js';
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
export * from './analyses/task-journey.js';
export * from './analyses/why-killed.js';
export * from './analyses/worker-timeline.js';
export * from './analyses/fleet-health.js';
export * from './analyses/error-templates.js';

// Checks: read + analyse in one call (what the CLI commands and the notebooks run).
export { openSession, parseAsOf, type Session, type SessionOptions } from './checks/session.js';
export * from './checks/load.js';
export * as checks from './checks/index.js';

// Presentation: the words, formats, icons, frames, figures and notebook views.
export * from './present/format.js';
export * from './present/html.js';
export * from './present/icons.js';
export * from './present/json.js';
export * from './present/fields.js';
export * from './present/crash-patterns.js';
export * from './present/investigation.js';
export * from './present/journeys.js';
export * from './present/frames.js';
export * from './present/figures/figure.js';
export * from './present/figures/heartbeat-timeline.js';
export * from './present/figures/log-volume.js';
export * from './present/figures/task-timeline.js';
export * from './present/figures/crash-timing.js';
export * from './present/figures/fleet.js';
export * from './present/figures/memory.js';
export * from './present/worker-timeline.js';
export * from './present/figures/worker-timeline.js';
export * from './present/figures/html.js';
export * as views from './present/views.js';
export * from './present/fleet-health.js';
export * from './present/error-templates.js';
