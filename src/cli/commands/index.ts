/** Every CLI command, in the guide's order. One guide section = one analysis module = one command file. */
import type { Command } from '../command.js';
import { activeCommand } from './active-workers.js';
import { checklistCommand } from './investigation.js';
import { classifyCommand } from './crash-patterns.js';
import { crashTimingCommand } from './crash-timing.js';
import { errorsCommand } from './error-templates.js';
import { failedTasksCommand } from './failed-tasks.js';
import { healthCommand } from './fleet-health.js';
import { reportCommand } from './fleet-report.js';
import { heartbeatCadenceCommand } from './heartbeat-cadence.js';
import { heartbeatsCommand } from './heartbeat-gaps.js';
import { memoryProfileCommand } from './memory-profile.js';
import { modelLoadCrashesCommand } from './model-load-crashes.js';
import { modelSwitchCommand } from './model-switch.js';
import { orphansCommand } from './orphaned-tasks.js';
import { checkCommand } from './quick-check.js';
import { recentCommand } from './recent-workers.js';
import { investigateCommand, renderCommand } from './render.js';
import { reportsCommand } from './reports.js';
import { snapshotCommand } from './snapshot.js';
import { staleCommand } from './stale-workers.js';
import { logsCommand } from './worker-logs.js';
import { statusCommand } from './worker-status.js';
import { tasksCommand } from './worker-tasks.js';
import { taskCommand } from './task-journey.js';
import { whyKilledCommand } from './why-killed.js';
import { timelineCommand } from './worker-timeline.js';

export const COMMANDS: readonly Command[] = [
  statusCommand,
  logsCommand,
  tasksCommand,
  heartbeatsCommand,
  modelSwitchCommand,
  classifyCommand,
  checkCommand,
  activeCommand,
  recentCommand,
  staleCommand,
  failedTasksCommand,
  orphansCommand,
  modelLoadCrashesCommand,
  reportCommand,
  memoryProfileCommand,
  checklistCommand,
  heartbeatCadenceCommand,
  crashTimingCommand,
  taskCommand,
  whyKilledCommand,
  timelineCommand,
  healthCommand,
  errorsCommand,
  snapshotCommand,
  investigateCommand,
  renderCommand,
  reportsCommand,
];
