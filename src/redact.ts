/**
 * Secret redaction. Keys and connection-string passwords must never reach stdout, stderr, a saved
 * notebook or an HTML report. Two layers: known secret values (taken from the environment) are
 * replaced wherever they occur, and anything shaped like a secret (a JWT, an `sb_secret_` key, a
 * password inside a URL) is replaced even when its value is not known.
 */
export const REDACTED = '[REDACTED]';

/** Environment variables whose values are secrets, or hold one (a connection string). */
export const SECRET_ENV_VARS = ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_KEY', 'SUPABASE_ANON_KEY', 'DATABASE_URL', 'PGPASSWORD'] as const;

const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const SUPABASE_SECRET_KEY = /\bsb_secret_[A-Za-z0-9_-]{6,}/g;
// scheme://user:password@host — keep scheme, user and host, drop the password.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi;
// password=… in libpq key/value strings and URL queries; not once more when already redacted, which
// would swallow what follows (text redacted twice, e.g. a figure's JSON inside a notebook output).
const PASSWORD_PARAM = /\b(password=)(?!\[REDACTED\])([^\s&;]+)/gi;

const knownSecrets = new Set<string>();

/** Registers a secret value to redact wherever it appears (values under 8 characters are ignored: too likely to hit ordinary text). */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 8) return;
  knownSecrets.add(value);
  // A connection string's password is a secret on its own too.
  for (const match of value.matchAll(/:\/\/[^\s:/@]*:([^\s@/]+)@/g)) {
    const password = match[1];
    if (password && password.length >= 4) {
      knownSecrets.add(password);
      try {
        knownSecrets.add(decodeURIComponent(password));
      } catch {
        /* not URI-encoded */
      }
    }
  }
}

/** Registers the secret values of the environment (see SECRET_ENV_VARS). */
export function registerSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of SECRET_ENV_VARS) registerSecret(env[name]);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(JWT, REDACTED)
    .replace(SUPABASE_SECRET_KEY, REDACTED)
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(PASSWORD_PARAM, `$1${REDACTED}`);
}

/** What in `text` would be redacted, described without repeating it (for refusing to write a file). */
export function findSecrets(text: string): string[] {
  const found: string[] = [];
  for (const secret of knownSecrets) if (text.includes(secret)) found.push('a configured key or password');
  if (new RegExp(JWT.source).test(text)) found.push('a JWT-shaped token');
  if (new RegExp(SUPABASE_SECRET_KEY.source).test(text)) found.push('an sb_secret_ key');
  for (const m of text.matchAll(new RegExp(URL_PASSWORD.source, 'gi'))) {
    if (m[2] !== REDACTED) found.push('a password in a connection string');
  }
  for (const m of text.matchAll(new RegExp(PASSWORD_PARAM.source, 'gi'))) {
    if (m[2] !== REDACTED) found.push('a password parameter');
  }
  return [...new Set(found)];
}

/**
 * findSecrets over every string of a JSON-like value, keys included: what redactDeep would still
 * change. Checking the value's JSON text instead would misread its escapes: `password=\n…` is not
 * a password parameter, but its JSON text `password=\\n…` looks like one.
 */
export function findSecretsDeep(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      for (const what of findSecrets(item)) found.add(what);
    } else if (Array.isArray(item)) {
      item.forEach(visit);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, inner] of Object.entries(item)) {
        visit(key);
        visit(inner);
      }
    }
  };
  visit(value);
  return [...found];
}

/** Deep-redacts every string inside a JSON-like value, object keys included (jsonb keys are data too). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // fromEntries defines own properties: a `__proto__` key stays a key instead of becoming the prototype.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v)])) as T;
  }
  return value;
}

/** Test hook: forget registered secrets. */
export function clearRegisteredSecrets(): void {
  knownSecrets.clear();
}

/**
 * What the user typed, fit to echo in an error: redacted first, then cut (cutting first could
 * leave a secret's prefix that no longer looks like a secret).
 */
export function shownInput(text: string, max = 40): string {
  const safe = redact(text);
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
