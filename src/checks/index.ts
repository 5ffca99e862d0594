/**
 * Every check of the guide as one typed call: read what it needs from the session's source, run
 * the pure analysis, return the result object (the CLI's --json document). The CLI commands and
 * the notebooks both call these, so a notebook shows exactly what the CLI prints. One file per
 * guide section, named as its analysis.
 */
export { type WorkerRef } from './context.js';
export * from './worker-status.js';
export * from './worker-logs.js';
export * from './worker-tasks.js';
export * from './heartbeat-gaps.js';
export * from './model-switch.js';
export * from './crash-patterns.js';
export * from './quick-check.js';
export * from './active-workers.js';
export * from './recent-workers.js';
export * from './stale-workers.js';
export * from './failed-tasks.js';
export * from './orphaned-tasks.js';
export * from './model-load-crashes.js';
export * from './fleet-report.js';
export * from './memory-profile.js';
export * from './crash-timing.js';
export * from './investigation.js';
export * from './heartbeat-cadence.js';
export * from './task-journey.js';
export * from './why-killed.js';
export * from './worker-timeline.js';
export * from './fleet-health.js';
export * from './error-templates.js';
