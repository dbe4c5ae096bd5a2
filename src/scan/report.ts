/** The machine-readable shape of a scan, as `ar-mirror scan --json` prints it (documented in README). */
import { formatReference, isThirdParty } from '../reference/index.js';
import type { Diagnostic, ImageOccurrence } from './types.js';

export interface ReferenceRecord {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  kind: string;
  raw: string;
  image: string;
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  thirdParty: boolean;
}

export interface ScanReport {
  references: ReferenceRecord[];
  diagnostics: Diagnostic[];
}

/** Turns occurrences into report records, classifying each with the extra first-party registries. */
export function toScanReport(
  occurrences: readonly ImageOccurrence[],
  diagnostics: readonly Diagnostic[],
  firstParty: readonly string[] = [],
): ScanReport {
  const references = occurrences.map((occurrence) => toRecord(occurrence, firstParty));
  references.sort(compareRecords);
  const sortedDiagnostics = [...diagnostics].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
  return { references, diagnostics: sortedDiagnostics };
}

function toRecord(occurrence: ImageOccurrence, firstParty: readonly string[]): ReferenceRecord {
  const { reference } = occurrence;
  return {
    file: occurrence.file,
    line: occurrence.start.line,
    column: occurrence.start.column,
    endLine: occurrence.end.line,
    endColumn: occurrence.end.column,
    kind: occurrence.kind,
    raw: occurrence.raw,
    image: formatReference(reference),
    registry: reference.registry,
    repository: reference.repository,
    tag: reference.tag ?? null,
    digest: reference.digest ?? null,
    thirdParty: isThirdParty(reference.registry, reference.repository, firstParty),
  };
}

function compareRecords(a: ReferenceRecord, b: ReferenceRecord): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
