import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  readRegularFile
} from "./chunk-7AXOBIP5.js";
import {
  require_dist
} from "./chunk-UBDPY4Y4.js";
import {
  formatReference,
  sameRepository,
  tryParseReference
} from "./chunk-FHORZPU6.js";
import {
  errorMessage
} from "./chunk-P3YMENVP.js";
import {
  __toESM
} from "./chunk-FJ4UO5DN.js";

// src/rewrite/span-check.ts
var import_yaml = __toESM(require_dist(), 1);
function checkSpan(content, span) {
  if (span.start < 0 || span.end > content.length || span.start > span.end)
    return `span ${span.start}-${span.end} is outside the file`;
  const text = content.slice(span.start, span.end);
  const decoded = decode(text, span.style);
  const matches = span.style === "block-literal" || span.style === "block-folded" ? decoded?.trim() === span.value.trim() : decoded === span.value;
  return matches ? void 0 : `expected ${JSON.stringify(span.value)} at offset ${span.start}, found ${JSON.stringify(text)}`;
}
function decode(text, style) {
  if (style === "dockerfile" || style === "plain" || style === "dotenv" || style.endsWith("-inner"))
    return text;
  const quote = style === "double" ? '"' : style === "single" ? "'" : void 0;
  if (quote && (text.length < 2 || !text.startsWith(quote) || !text.endsWith(quote))) return void 0;
  try {
    const value = (0, import_yaml.parse)(text);
    return typeof value === "string" ? value : void 0;
  } catch {
    return void 0;
  }
}

// src/rewrite/yaml-scalar.ts
var import_yaml2 = __toESM(require_dist(), 1);
function encodeScalar(original, style, value) {
  if (/[\r\n]/.test(value)) return fail("the value contains a line break");
  switch (style) {
    case "dockerfile":
      return /^[^\s"'$\\`]+$/.test(value) ? { ok: true, text: value } : fail(`"${value}" would need quoting or escaping in a Dockerfile`);
    case "plain":
      return isSafePlain(value) ? { ok: true, text: value } : fail(`"${value}" cannot be written as a plain YAML scalar`);
    case "double":
      return { ok: true, text: encodeDouble(value) };
    case "single":
      return { ok: true, text: `'${value.replace(/'/g, "''")}'` };
    case "block-literal":
    case "block-folded":
      return encodeBlock(original, value);
    case "plain-inner":
    case "double-inner":
    case "single-inner":
      return encodeInner(style, value);
    case "dotenv":
      return INNER_SAFE.test(value) ? { ok: true, text: value } : fail(`"${value}" cannot be written in a .env value as is`);
  }
}
var INNER_SAFE = /^[A-Za-z0-9._\-/:@]+$/;
function encodeInner(style, value) {
  return INNER_SAFE.test(value) ? { ok: true, text: value } : fail(`"${value}" cannot be written inside a ${style.replace("-inner", "")} YAML scalar as is`);
}
function encodeDouble(value) {
  return JSON.stringify(value);
}
function isSafePlain(value) {
  if (value === "" || value !== value.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return false;
  if (/[,[\]{}]|: |:$| #|\t/.test(value)) return false;
  return readsBackAsString(`k: ${value}`, value) && readsBackAsString(`{k: ${value}}`, value);
}
function readsBackAsString(document, value) {
  for (const version of ["1.2", "1.1"]) {
    try {
      const data = (0, import_yaml2.parse)(document, { version });
      if (typeof data !== "object" || data === null || data.k !== value)
        return false;
    } catch {
      return false;
    }
  }
  return true;
}
function encodeBlock(original, value) {
  const lines = original.split(/(?<=\n)/);
  const header = lines[0] ?? "";
  if (!/^[|>]/.test(header) || !/\n$/.test(header)) return fail("the block scalar has no header line");
  const contentIndexes = lines.flatMap((line2, index2) => index2 > 0 && line2.trim() !== "" ? [index2] : []);
  if (contentIndexes.length !== 1) return fail("the block scalar does not hold exactly one content line");
  const index = contentIndexes[0];
  const line = lines[index];
  const indent = /^ */.exec(line)[0];
  const ending = /\r?\n$/.exec(line)?.[0] ?? "";
  lines[index] = `${indent}${value}${ending}`;
  return { ok: true, text: lines.join("") };
}
function fail(reason) {
  return { ok: false, reason };
}

// src/rewrite/fields.ts
var FieldWriter = class {
  constructor(content, fields, keys = {}) {
    this.content = content;
    this.fields = fields;
    this.keys = keys;
  }
  content;
  fields;
  keys;
  splices = [];
  inserts = [];
  problem;
  has(key) {
    return this.fields[key] !== void 0;
  }
  /** Sets `key` to `value`: replaced in place when present (skipped when equal), else inserted. */
  set(key, value) {
    const span = this.fields[key];
    if (!span) {
      this.inserts.push([this.keys[key] ?? key, value]);
      return;
    }
    const mismatch = checkSpan(this.content, span);
    if (mismatch) this.problem ??= `${key}: ${mismatch}`;
    if (span.value === value) return;
    const encoded = encodeScalar(this.content.slice(span.start, span.end), span.style, value);
    if (encoded.ok) this.splices.push({ start: span.start, end: span.end, text: encoded.text });
    else this.problem ??= `${key}: ${encoded.reason}`;
  }
};
function fieldSplices(content, target, destination, eol) {
  const writer = new FieldWriter(content, target.fields, target.keys);
  if (target.format === "kustomize") writeKustomize(writer, destination);
  else writeHelm(writer, destination);
  if (writer.problem) return { ok: false, reason: writer.problem };
  const splices = [...writer.splices];
  if (writer.inserts.length > 0) splices.push(insertion(content, target.mapping, writer.inserts, eol));
  return { ok: true, splices };
}
function effectiveReference(target, destination) {
  if (target.type === "fields" && target.format === "kustomize" && destination.digest !== void 0)
    return { ...destination, tag: void 0 };
  return destination;
}
function writeKustomize(writer, destination) {
  writer.set("newName", `${destination.registry}/${destination.repository}`);
  if (destination.tag !== void 0) writer.set("newTag", destination.tag);
  if (destination.digest !== void 0) writer.set("digest", destination.digest);
}
function writeHelm(writer, destination) {
  if (!writer.has("repository")) {
    writer.problem = "the Helm image block has no repository key";
    return;
  }
  if (writer.has("registry")) {
    writer.set("registry", destination.registry);
    writer.set("repository", destination.repository);
  } else {
    writer.set("repository", `${destination.registry}/${destination.repository}`);
  }
  if (writer.has("digest")) {
    if (destination.digest !== void 0) writer.set("digest", destination.digest);
    if (destination.tag !== void 0 && writer.has("tag")) writer.set("tag", destination.tag);
  } else if (destination.digest !== void 0) {
    if (destination.tag === void 0) writer.problem = "a digest-only Helm image needs a digest key";
    else writer.set("tag", `${destination.tag}@${destination.digest}`);
  }
}
function insertion(content, mapping, inserts, eol) {
  const pairs = inserts.map(([key, value]) => `${key}: ${isSafePlain(value) ? value : encodeDouble(value)}`);
  if (mapping.flow) {
    let at2 = content[mapping.end - 1] === "}" ? mapping.end - 1 : mapping.end;
    while (at2 > mapping.start && /\s/.test(content[at2 - 1])) at2--;
    return { start: at2, end: at2, text: pairs.map((pair) => `, ${pair}`).join("") };
  }
  const indent = " ".repeat(mapping.indent);
  if (mapping.end > 0 && content[mapping.end - 1] === "\n") {
    const text = pairs.map((pair) => `${indent}${pair}${eol}`).join("");
    return { start: mapping.end, end: mapping.end, text };
  }
  const lineEnd = content.indexOf("\n", mapping.end);
  let at = lineEnd < 0 ? content.length : lineEnd;
  if (at > 0 && content[at - 1] === "\r") at--;
  return { start: at, end: at, text: pairs.map((pair) => `${eol}${indent}${pair}`).join("") };
}

// src/rewrite/splice.ts
function mergeSplices(splices) {
  const unique = /* @__PURE__ */ new Map();
  for (const splice of splices) {
    const key = `${splice.start}:${splice.end}`;
    const seen = unique.get(key);
    if (seen && seen.text !== splice.text)
      return {
        ok: false,
        reason: `conflicting edits at offset ${splice.start}: ${JSON.stringify(seen.text)} and ${JSON.stringify(splice.text)}`
      };
    unique.set(key, splice);
  }
  const ordered = [...unique.values()].sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < ordered.length; i++) {
    const later = ordered[i - 1];
    const earlier = ordered[i];
    const overlaps = earlier.end > later.start;
    if (overlaps)
      return { ok: false, reason: `overlapping edits at offsets ${earlier.start} and ${later.start}` };
  }
  return { ok: true, splices: ordered };
}
function applySplices(content, splices) {
  let result = content;
  for (const splice of splices)
    result = result.slice(0, splice.start) + splice.text + result.slice(splice.end);
  return result;
}
function mapOffset(offset, splices) {
  let shift = 0;
  for (const splice of splices) {
    if (splice.end <= offset) shift += splice.text.length - (splice.end - splice.start);
  }
  return offset + shift;
}

// src/rewrite/targets.ts
function rewriteProblem(occurrence) {
  const target = occurrence.target;
  if (target.type === "none") return target.reason;
  if (target.type === "fields") {
    if (target.format === "helm" && !target.fields.repository)
      return "the Helm image block has no repository key";
    return void 0;
  }
  const current = target.scalar.value.trim();
  if (target.type === "name") return nameProblem(current, occurrence);
  const parsed = current.startsWith(target.prefix) ? tryParseReference(current.slice(target.prefix.length)) : void 0;
  if (parsed?.ok && formatReference(parsed.reference) === formatReference(occurrence.reference))
    return void 0;
  return `the reference is built from variables or other text (${JSON.stringify(current)}), which a rewrite would drop`;
}
function nameProblem(name, occurrence) {
  if (sameRepository(name, occurrence.reference)) return void 0;
  const { registry, repository } = occurrence.reference;
  return `the name part ${JSON.stringify(name)} does not name ${registry}/${repository}`;
}
function unpinnedNote(occurrence, variables = []) {
  if (occurrence.target.type !== "name" || occurrence.reference.digest !== void 0) return void 0;
  const subject = variables.length > 0 ? variables.join(", ") : "variable tag";
  return `${subject}: only the default's tag (${occurrence.reference.tag}) was mirrored; other values pull tags the mirror does not have until they are mirrored too; not digest-pinned`;
}

// src/rewrite/verify.ts
function verifyRewrite(input) {
  const { file, before, after, splices, edits, extract } = input;
  const old = ownOccurrences(extract(file, before), file);
  const now = ownOccurrences(extract(file, after), file);
  const wanted = new Map(
    edits.map((edit) => [
      targetKey(edit.occurrence),
      formatReference(effectiveReference(edit.occurrence.target, edit.destination))
    ])
  );
  const known = new Set(old.occurrences.map(targetKey));
  for (const edit of edits) {
    if (!known.has(targetKey(edit.occurrence)))
      return fail2(`${where(edit.occurrence.start)}: ${edit.occurrence.raw} is not in the file any more`);
  }
  const expected = old.occurrences.map(
    (occurrence) => ({
      key: `${mapOffset(anchor(occurrence, before), splices)}|${occurrence.kind}`,
      reference: wanted.get(targetKey(occurrence)) ?? formatReference(occurrence.reference),
      line: occurrence.start.line
    })
  );
  const matched = matchOccurrences(expected, now.occurrences, after);
  if (!matched.ok) return matched;
  return checkDiagnostics(old, now);
}
function ownOccurrences(result, file) {
  const occurrences = result.occurrences.filter((occurrence) => occurrence.file === file);
  return occurrences.length === result.occurrences.length ? result : { ...result, occurrences };
}
function matchOccurrences(expected, occurrences, after) {
  const found = /* @__PURE__ */ new Map();
  for (const occurrence of occurrences) {
    const key = `${anchor(occurrence, after)}|${occurrence.kind}`;
    found.set(key, [...found.get(key) ?? [], formatReference(occurrence.reference)]);
  }
  for (const item of expected) {
    const references = found.get(item.key) ?? [];
    const index = references.indexOf(item.reference);
    if (index < 0) {
      const got = references.length > 0 ? references.join(", ") : "nothing";
      return fail2(
        `line ${item.line} (as scanned before): expected ${item.reference}, the re-scan found ${got}`
      );
    }
    references.splice(index, 1);
  }
  const extra = [...found.values()].flat();
  if (extra.length > 0) return fail2(`the re-scan found unexpected references: ${extra.join(", ")}`);
  return { ok: true };
}
function checkDiagnostics(old, now) {
  const remaining = old.diagnostics.map((d) => `${d.severity}: ${d.message}`);
  for (const diagnostic of now.diagnostics) {
    const text = `${diagnostic.severity}: ${diagnostic.message}`;
    const index = remaining.indexOf(text);
    if (index < 0) return fail2(`the rewritten file has a new diagnostic at line ${diagnostic.line}: ${text}`);
    remaining.splice(index, 1);
  }
  return { ok: true };
}
function targetKey(occurrence) {
  const target = occurrence.target;
  if (target.type === "scalar" || target.type === "name")
    return `${target.type}:${target.scalar.start}:${target.scalar.end}`;
  if (target.type === "fields") return `mapping:${target.mapping.start}`;
  return `none:${occurrence.start.line}:${occurrence.start.column}`;
}
function anchor(occurrence, content) {
  const target = occurrence.target;
  if (target.type === "scalar" || target.type === "name") return target.scalar.start;
  if (target.type === "fields") return target.mapping.start;
  return offsetOf(content, occurrence.start);
}
function offsetOf(content, position) {
  let offset = 0;
  for (let line = 1; line < position.line; line++) {
    const next = content.indexOf("\n", offset);
    if (next < 0) return content.length;
    offset = next + 1;
  }
  return offset + position.column - 1;
}
function where(position) {
  return `line ${position.line}`;
}
function fail2(reason) {
  return { ok: false, reason };
}

// src/rewrite/index.ts
function applyEdits(file, content, edits, extract) {
  const eol = content.includes("\r\n") ? "\r\n" : "\n";
  const all = [];
  const changed = [];
  for (const edit of edits) {
    const line = `${file}:${edit.occurrence.start.line}`;
    if (edit.occurrence.file !== file) return fail3(`${line}: the edit belongs to ${edit.occurrence.file}`);
    const result = editSplices(content, edit, eol);
    if (!result.ok) return fail3(`${line}: ${result.reason}`);
    if (result.splices.length > 0) changed.push(edit);
    all.push(...result.splices);
  }
  if (all.length === 0) return { ok: true, content, changed };
  const merged = mergeSplices(all);
  if (!merged.ok) return fail3(`${file}: ${merged.reason}`);
  const after = applySplices(content, merged.splices);
  const verified = verifyRewrite({ file, before: content, after, splices: merged.splices, edits, extract });
  if (!verified.ok) return fail3(`${file}: the rewrite did not verify: ${verified.reason}`);
  return { ok: true, content: after, changed };
}
function editSplices(content, edit, eol) {
  const target = edit.occurrence.target;
  if (target.type === "none") return { ok: false, reason: `not rewritable: ${target.reason}` };
  if (target.type === "fields") return fieldSplices(content, target, edit.destination, eol);
  const { scalar } = target;
  const problem = rewriteProblem(edit.occurrence) ?? checkSpan(content, scalar) ?? variableTagProblem(edit);
  if (problem) return { ok: false, reason: problem };
  const current = scalar.value.trim();
  const value = target.type === "name" ? `${edit.destination.registry}/${edit.destination.repository}` : target.prefix + formatReference(edit.destination);
  if (current === value) return { ok: true, splices: [] };
  const encoded = encodeScalar(content.slice(scalar.start, scalar.end), scalar.style, value);
  if (!encoded.ok) return encoded;
  return { ok: true, splices: [{ start: scalar.start, end: scalar.end, text: encoded.text }] };
}
function variableTagProblem(edit) {
  if (edit.occurrence.target.type !== "name") return void 0;
  const { tag, digest } = edit.occurrence.reference;
  if (edit.destination.tag === tag && edit.destination.digest === digest) return void 0;
  return `the tag comes from a variable and is kept, so the new reference must keep the source's tag and digest (${formatReference(edit.destination)} does not)`;
}
function fail3(reason) {
  return { ok: false, reason };
}

// src/mirror/rewrite-files.ts
function rewriteFiles(plan, texts, extract) {
  const outcome = { changes: [], failures: [] };
  for (const { file, edits } of plan.files) {
    const text = texts.get(file);
    if (!text) {
      outcome.failures.push({ file, reason: `${file}: the file's text is not available` });
      continue;
    }
    const result = applyEdits(
      file,
      text.content,
      edits,
      (name, content) => extract(name, content, text.context)
    );
    if (!result.ok) outcome.failures.push({ file, reason: result.reason });
    else if (result.changed.length > 0)
      outcome.changes.push({ file, content: result.content, edits: result.changed.length });
  }
  return outcome;
}

// src/commands/write-file.ts
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  renameSync,
  rmSync,
  writeSync
} from "node:fs";
function writeAtomically(file, content, suffix = randomBytes(8).toString("hex")) {
  const bom = file.bom ? "\uFEFF" : "";
  let stats;
  try {
    stats = lstatSync(file.absolutePath);
    if (stats.isSymbolicLink()) return "it is a symbolic link; rewrite its target";
  } catch (err) {
    return `cannot read it again before writing: ${errorMessage(err)}`;
  }
  const expected = Buffer.from(bom + file.content, "utf8");
  const again = readRegularFile(file.absolutePath, expected.length);
  if ("problem" in again && again.severity === "error")
    return `cannot read it again before writing: ${again.problem.replace(/^cannot read: /, "")}`;
  if ("problem" in again || !again.bytes.equals(expected))
    return "the file changed on disk while ar-mirror ran";
  const mode = stats.mode & 4095;
  const temporary = `${file.absolutePath}.ar-mirror-${suffix}.tmp`;
  let created = false;
  try {
    const fd = openSync(temporary, "wx", mode);
    created = true;
    try {
      const bytes = Buffer.from(bom + content, "utf8");
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      keepOwner(fd, stats);
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file.absolutePath);
  } catch (err) {
    if (created) rmSync(temporary, { force: true });
    return `cannot write it: ${errorMessage(err)}`;
  }
  return void 0;
}
function keepOwner(fd, original) {
  const uid = process.getuid?.();
  if (uid === void 0 || uid !== 0 && uid !== original.uid) return;
  const created = fstatSync(fd);
  if (created.uid === original.uid && created.gid === original.gid) return;
  try {
    fchownSync(fd, original.uid, original.gid);
  } catch (err) {
    if (uid === 0) throw err;
  }
}
function dropSymbolicLinks(scan) {
  const links = new Set(scan.files.filter((f) => isSymbolicLink(f.absolutePath)).map((f) => f.file));
  if (links.size === 0) return scan;
  return {
    files: scan.files.filter((f) => !links.has(f.file)),
    occurrences: scan.occurrences.filter((o) => !links.has(o.file)),
    diagnostics: [
      ...scan.diagnostics,
      ...[...links].map((file) => ({
        file,
        line: 0,
        severity: "warning",
        message: "skipped: symbolic link; migrate does not rewrite through links (name its target instead)"
      }))
    ]
  };
}
function isSymbolicLink(absolutePath) {
  try {
    return lstatSync(absolutePath).isSymbolicLink();
  } catch {
    return false;
  }
}
function writeChanges(rewrite, byFile) {
  const outcome = { changes: [], failures: [...rewrite.failures] };
  for (const change of rewrite.changes) {
    const problem = writeAtomically(byFile.get(change.file), change.content);
    if (problem === void 0) outcome.changes.push(change);
    else outcome.failures.push({ file: change.file, reason: `${change.file}: ${problem}` });
  }
  return outcome;
}

export {
  rewriteProblem,
  unpinnedNote,
  rewriteFiles,
  dropSymbolicLinks,
  writeChanges
};
