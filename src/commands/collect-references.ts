/**
 * The image references of PATHs (files or directories, scanned with every finder) or of a YAML
 * stream on stdin (`-`, e.g. `kubectl get pods -A -o yaml`), for the commands that check them.
 */
import { decodeText } from '../scan/discover.js';
import { allFinders, extractYamlStream } from '../scan/index.js';
import { scanPaths } from '../scan/scan.js';
import type { Diagnostic, ImageOccurrence } from '../scan/types.js';
import type { CommandIO } from './io.js';

/** Scans `paths` (`['-']` reads stdin). */
export async function collectReferences(
  paths: readonly string[],
  io: CommandIO,
): Promise<{ occurrences: ImageOccurrence[]; diagnostics: Diagnostic[] }> {
  if (paths.length === 1 && paths[0] === '-') {
    const decoded = decodeText(io.readStdin ? await io.readStdin() : new Uint8Array());
    if ('problem' in decoded)
      return {
        occurrences: [],
        diagnostics: [{ file: '-', line: 0, severity: decoded.severity, message: decoded.problem }],
      };
    return extractYamlStream(decoded.content, '-');
  }
  const scan = scanPaths(paths, { finders: allFinders, ...(io.cwd === undefined ? {} : { cwd: io.cwd }) });
  return { occurrences: scan.occurrences, diagnostics: scan.diagnostics };
}
