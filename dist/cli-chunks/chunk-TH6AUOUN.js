import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/secrets.ts
var MIN_SECRET_LENGTH = 4;
var MASK = "***";
function secretForms(value) {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const base64 = Buffer.from(value, "utf8").toString("base64");
  const unpadded = base64.replace(/=+$/, "");
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    unpadded,
    base64,
    unpadded.replaceAll("+", "-").replaceAll("/", "_")
  ];
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}
function registerCredential(register, credential) {
  register(credential.password);
  if (credential.username !== "") register(`${credential.username}:${credential.password}`);
}
function createRedactor() {
  const forms = /* @__PURE__ */ new Set();
  let pattern;
  return {
    add(value) {
      for (const form of secretForms(value)) {
        if (forms.has(form)) continue;
        forms.add(form);
        pattern = void 0;
      }
    },
    redact(text) {
      if (forms.size === 0 || text === "") return text;
      pattern ??= new RegExp(
        [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"),
        "g"
      );
      return text.replace(pattern, MASK);
    }
  };
}
var processSecrets = createRedactor();
var CREDENTIAL_SHAPES = [
  /\b(basic|bearer|token)(\s+)[A-Za-z0-9._~+/-]+=*/gi,
  /\b((?:access_|refresh_|identity_?|id_)?token|password|secret)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi
];
function maskOutsideText(text, max, redactor = processSecrets) {
  let out = redactor.redact(text);
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, `$1$2${MASK}`);
  return out.length <= max ? out : `${out.slice(0, max)}\u2026`;
}
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// src/text/escape.ts
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function escapeControl(text) {
  return text.replace(UNSAFE, (char) => NAMED[char] ?? codeEscape(char));
}
function printable(text, max = 300) {
  const masked = processSecrets.redact(text);
  return escapeControl(masked.length > max ? `${masked.slice(0, max)}\u2026` : masked);
}
function shellQuote(value) {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
function codeEscape(char) {
  const code = char.charCodeAt(0);
  return code <= 255 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
var COMMAND_START = /^([\s\u0085]*):(?=:)/gm;
function disarmCommands(text, colon, bracket) {
  return text.replace(COMMAND_START, `$1${colon}`).replace(/##\[/g, `##${bracket}`);
}

// src/commands/io.ts
function guardIO(io, redactor = processSecrets) {
  return {
    ...io,
    stdout: (text) => io.stdout(inertToRunner(redactor.redact(text))),
    stderr: (text) => io.stderr(inertToRunner(redactor.redact(text)))
  };
}
function inertToRunner(text) {
  return disarmCommands(text, "\\x3a", "\\u005b");
}
var EXIT_OK = 0;
var EXIT_FAILURE = 1;
var EXIT_USAGE = 2;
var UsageError = class extends MirrorError {
};
function parseCommandLine(command, usage, io, parse) {
  let parsed;
  try {
    parsed = parse();
  } catch (err) {
    io.stderr(`ar-mirror ${command}: ${escapeControl(errorMessage(err))}
${usage}
`);
    return { exit: EXIT_USAGE };
  }
  if (parsed === "help") {
    io.stdout(`${usage}
`);
    return { exit: EXIT_OK };
  }
  return { args: parsed };
}

export {
  registerCredential,
  processSecrets,
  maskOutsideText,
  escapeControl,
  printable,
  shellQuote,
  guardIO,
  EXIT_OK,
  EXIT_FAILURE,
  EXIT_USAGE,
  UsageError,
  parseCommandLine
};
