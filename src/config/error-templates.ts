/**
 * How error messages are grouped into templates (issue 11, `errors`): the values that differ from
 * one occurrence of the same error to the next are masked, each by a named regular expression, in
 * this order (a later mask never sees what an earlier one replaced); then each template gets a
 * kind from a keyword table, the first kind whose expression matches it.
 *
 * Masks are JavaScript regular expressions run in process over the message text (never sent to a
 * database), so that `CUDA out of memory. Tried to allocate 2.50 GiB` and `… 3.10 GiB` are one
 * template while two exceptions that merely share their figures stay apart: words are never masked.
 */

export interface ErrorMask {
  /** Shown in the template in place of what it masks: `<name>`. */
  name: string;
  /** What the mask replaces (global). */
  pattern: RegExp;
}

/** In the order they run. Each replaces its whole match with `<name>`. */
export const ERROR_MASKS: readonly ErrorMask[] = [
  // Before paths: a URL holds slashes.
  { name: 'url', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"()<>]+/gi },
  // Before UUIDs: an object path often holds one (`generated_outputs/<uuid>.mp4` is one path).
  // A path: absolute (`/models/wan`, `~/x`), Windows (`C:\models\wan`), or relative with a slash
  // whose first segment holds a letter (`generated_outputs/a.mp4`), so that `attempt 1/3` is no path.
  { name: 'path', pattern: /(?:(?<![\w/.~])(?:~|\.{1,2})?\/[\w.@+-]+(?:\/[\w.@+-]+)*\/?|\b[A-Za-z]:\\[^\s'"()<>]+|\b[\w.@+-]*[A-Za-z][\w.@+-]*(?:\/[\w.@+-]+)+\/?)/g },
  { name: 'uuid', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  // The orchestrator's worker ids (`gpu-20251017_130952-95cd7f4c`); the ids of the rows' own workers are masked as well, whatever their shape.
  { name: 'worker', pattern: /\b[a-z][a-z0-9]*-\d{8}_\d{6}-[0-9a-f]{4,}\b/gi },
  // Quoted values: an opening quote not inside a word (`WGP's` holds no quoted value).
  { name: 'quoted', pattern: /(?<![\w'"`])'[^'\n]*'(?![\w])|(?<![\w'"`])"[^"\n]*"(?![\w])|`[^`\n]*`/g },
  { name: 'hex', pattern: /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b/gi },
  { name: 'size', pattern: /(?<![\w.])\d+(?:\.\d+)?\s?(?:[KMGTP]i?B|[kmgtp]b|bytes?)\b/g },
  { name: 'duration', pattern: /(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|µs|us|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)\b/g },
  // Any other figure not inside an identifier (`wan_2_2_i2v`, `4n+1` keep theirs).
  { name: 'n', pattern: /(?<![A-Za-z_\d.])[-+]?\d+(?:[.,]\d+)*(?![A-Za-z_\d])/g },
];

export const ERROR_KINDS = ['oom', 'timeout', 'upload', 'validation', 'device', 'model_load', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * The keyword table: a template's kind is the first whose expression matches it (`other` when none
 * does). Out of memory before device (PyTorch's OOM message names the GPU); model loading before
 * the generic kinds (a load can time out or fail on the device, and the load is what on-call acts on).
 */
export const ERROR_KIND_KEYWORDS: readonly { kind: Exclude<ErrorKind, 'other'>; pattern: RegExp }[] = [
  { kind: 'oom', pattern: /out of memory|\bOOM\b|OutOfMemory|MemoryError|cannot allocate memory|oom[-_ ]?kill/i },
  { kind: 'model_load', pattern: /(?:fail(?:ed|ure)?|error|unable|could not|cannot) (?:while |when )?(?:to )?load(?:ing)? (?:the )?(?:model|checkpoint|weights)|model (?:load|loading|switch) (?:failed|error)|\bfrom_pretrained\b|safetensors|checkpoint (?:is )?(?:corrupt|missing|not found)/i },
  { kind: 'upload', pattern: /\bupload|\bstorage\b|\bbucket\b|\bS3\b|presigned/i },
  { kind: 'timeout', pattern: /timed? ?out|timeout|deadline exceeded/i },
  { kind: 'validation', pattern: /validation|\binvalid\b|ValueError|could not decode|not of the form|\bschema\b|missing (?:required )?(?:field|param|parameter|argument)/i },
  { kind: 'device', pattern: /CUDA error|CUDA driver|cuDNN|NCCL|illegal memory access|device-side assert|no kernel image|ECC error|\bXid\b|fallen off the bus|GPU (?:is )?lost/i },
];

/**
 * A line that reports a failed task's error carries it whole; a masked task template shorter than
 * this is not looked for inside lines' templates (it would match by accident).
 */
export const MIN_EMBEDDED_TEMPLATE_CHARS = 16;
