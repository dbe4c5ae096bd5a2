/**
 * The one redaction mechanism. Every secret ar-mirror learns (passwords, `user:password`, tokens
 * from token realms and Google, the GitHub token) reaches `Logger.secret`, which registers it
 * here in every form it can take in text: raw, base64 (the Basic header), URL- and form-encoded,
 * JSON-escaped. Every channel that lets text out of the process (the CLI's stdout and stderr,
 * the action's log, annotations, outputs, job summary, the sticky comment, reviews and commit
 * messages) passes its text through `redact` at one choke point per channel.
 */

/** Masks the registered secrets in text that leaves the process. */
export interface Redactor {
  /** Registers a secret: from now on every form of it (secretForms) is masked. */
  add(value: string): void;
  /** `text` with every registered form replaced by `***`, longest forms first. */
  redact(text: string): string;
}

/**
 * Secrets shorter than this are not masked on their own (masking `abc` would garble unrelated
 * text and protect nothing); they are still masked inside longer forms such as `user:abc`.
 * Default: 4.
 */
export const MIN_SECRET_LENGTH = 4;

/** What a masked secret is replaced with (the runner's own mask). */
export const MASK = '***';

/**
 * Every form `value` can take in text we print: itself, JSON-escaped, URL-encoded (path and form
 * style), and base64 with and without padding and in the URL alphabet. Forms shorter than
 * MIN_SECRET_LENGTH are left out.
 */
export function secretForms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const unpadded = base64.replace(/=+$/, '');
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    unpadded,
    base64,
    unpadded.replaceAll('+', '-').replaceAll('/', '_'),
  ];
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** Registers a credential's password and `user:password` (whose base64 is the Basic header). */
export function registerCredential(
  register: (value: string) => void,
  credential: { username: string; password: string },
): void {
  register(credential.password);
  if (credential.username !== '') register(`${credential.username}:${credential.password}`);
}

/** Creates an empty Redactor; tests use their own, the process uses `processSecrets`. */
export function createRedactor(): Redactor {
  const forms = new Set<string>();
  let pattern: RegExp | undefined;
  return {
    add(value) {
      for (const form of secretForms(value)) {
        if (forms.has(form)) continue;
        forms.add(form);
        pattern = undefined;
      }
    },
    redact(text) {
      if (forms.size === 0 || text === '') return text;
      // One alternation, longest first: `user:pass` is masked whole, not as `user:***`, and a
      // JSON-escaped form wins over the raw one it contains, so JSON output stays valid.
      pattern ??= new RegExp(
        [...forms]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|'),
        'g',
      );
      return text.replace(pattern, MASK);
    },
  };
}

/**
 * The process's secrets: every Logger implementation registers into it, and every egress
 * redacts with it, so a secret read by one component is masked in text printed by any other.
 */
export const processSecrets: Redactor = createRedactor();

/** `value` with every string inside it (arrays and plain objects, recursively) redacted. */
export function redactDeep<T>(value: T, redactor: Redactor = processSecrets): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, redactor);
    return out as T;
  }
  return value;
}

// An Authorization value, or a credential-named field, in text a server sent back to us.
const CREDENTIAL_SHAPES = [
  /\b(basic|bearer|token)(\s+)[A-Za-z0-9._~+/-]+=*/gi,
  /\b((?:access_|refresh_|identity_?|id_)?token|password|secret)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi,
];

/**
 * Text a server sent (an error body's message or code) as it may be shown: registered secrets
 * masked, anything shaped like an Authorization value or a credential field masked even when we
 * never registered it, and only then cut to `max` characters, so a cut never leaves half a
 * secret that no longer matches its mask.
 */
export function maskOutsideText(text: string, max: number, redactor: Redactor = processSecrets): string {
  let out = redactor.redact(text);
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, `$1$2${MASK}`);
  return out.length <= max ? out : `${out.slice(0, max)}…`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
