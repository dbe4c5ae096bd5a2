import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  escapeControl,
  processSecrets
} from "./chunk-TH6AUOUN.js";

// src/log.ts
var silentLogger = {
  group: (_name, fn) => fn(),
  info: () => {
  },
  debug: () => {
  },
  warning: () => {
  },
  secret: (value) => processSecrets.add(value),
  isDebug: false
};
function createStreamLogger(options) {
  const redactor = options.redactor ?? processSecrets;
  const emit = (prefix, message) => options.write(`${prefix}${escapeControl(redactor.redact(message))}
`);
  return {
    async group(name, fn) {
      emit("", `${name}`);
      return fn();
    },
    info: (message) => emit("", message),
    debug: (message) => {
      if (options.debug) emit("debug: ", message);
    },
    warning: (message) => emit("warning: ", message),
    secret: (value) => redactor.add(value),
    isDebug: options.debug ?? false
  };
}

export {
  silentLogger,
  createStreamLogger
};
