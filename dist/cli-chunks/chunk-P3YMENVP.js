import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);

// src/errors.ts
var MirrorError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
};
var ConfigError = class extends MirrorError {
};
var InvalidReferenceError = class extends MirrorError {
  constructor(raw, reason) {
    super(`invalid image reference "${truncate(raw, 200)}": ${reason}`);
    this.raw = raw;
  }
  raw;
};
function errorMessage(err) {
  if (err instanceof Error) return err.message;
  return String(err);
}
function truncate(text, max) {
  return text.length <= max ? text : `${text.slice(0, max)}\u2026`;
}

export {
  MirrorError,
  ConfigError,
  InvalidReferenceError,
  errorMessage
};
