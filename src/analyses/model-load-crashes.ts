/**
 * §12 Find workers that crashed during model loading: a MODEL SWITCH in the window, then death
 * within 10 min of it, timed to the last DB heartbeat. The guide issued three queries per switch
 * line (N+1); here it is one pass over per-worker signals read in batches.
 */
import { THRESHOLDS } from '../config/thresholds.js';
import { gpuType, ramTier } from '../rows/worker-metadata.js';
import { secondsBetween, type Instant } from '../rows/time.js';
import type { WorkerCase } from './cases.js';
import type { WorkerSignals } from '../rows/signals.js';
import type { Task, Worker } from '../rows/schemas.js';
import { crashAfterSwitchS, isModelLoadCrash } from './death.js';
import { inWindow, type TimeWindow } from '../rows/window.js';
import { compareIds } from '../rows/order.js';

export interface ModelLoadCrash {
  worker_id: string;
  status: string;
  switch_at: Instant;
  switch_message: string;
  died_at: Instant;
  crash_after_s: number;
  worker_lines_after_switch: number;
  logged_heartbeats_after_switch: number;
  gpu_type: string | null;
  ram_tier: number | null;
}

export interface ModelLoadCrashes {
  from: Instant;
  to: Instant;
  window_s: number;
  /** Workers whose last MODEL SWITCH lies in the window. */
  switched: number;
  workers: ModelLoadCrash[];
}

export function modelLoadCrashes(cases: readonly WorkerCase[], window: TimeWindow, asOf: Instant): ModelLoadCrashes {
  const switched = cases.filter((c) => c.signals.last_model_switch && inWindow(c.signals.last_model_switch.timestamp, window));
  const crashes: ModelLoadCrash[] = [];
  for (const c of switched) {
    const after = crashAfterSwitchS(c, asOf);
    if (!isModelLoadCrash(after)) continue;
    const sw = c.signals.last_model_switch!;
    crashes.push({
      worker_id: c.worker.id,
      status: c.worker.status,
      switch_at: sw.timestamp,
      switch_message: sw.message,
      died_at: c.worker.last_heartbeat!,
      crash_after_s: after,
      worker_lines_after_switch: c.signals.after_switch?.worker_lines ?? 0,
      logged_heartbeats_after_switch: c.signals.after_switch?.logged_heartbeats ?? 0,
      gpu_type: gpuType(c.worker),
      ram_tier: ramTier(c.worker),
    });
  }
  crashes.sort((a, b) => a.switch_at - b.switch_at || compareIds(a.worker_id, b.worker_id));
  return {
    from: window.from,
    to: window.to,
    window_s: THRESHOLDS.modelLoadCrashWindowS,
    switched: switched.length,
    workers: crashes,
  };
}
