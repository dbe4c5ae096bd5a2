import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  allFinders,
  decodeText,
  extractYamlStream,
  scanPaths
} from "./chunk-JZPMK2HD.js";

// src/commands/collect-references.ts
async function collectReferences(paths, io) {
  if (paths.length === 1 && paths[0] === "-") {
    const decoded = decodeText(io.readStdin ? await io.readStdin() : new Uint8Array());
    if ("problem" in decoded)
      return {
        occurrences: [],
        diagnostics: [{ file: "-", line: 0, severity: decoded.severity, message: decoded.problem }]
      };
    return extractYamlStream(decoded.content, "-");
  }
  const scan = scanPaths(paths, { finders: allFinders, ...io.cwd === void 0 ? {} : { cwd: io.cwd } });
  return { occurrences: scan.occurrences, diagnostics: scan.diagnostics };
}

export {
  collectReferences
};
