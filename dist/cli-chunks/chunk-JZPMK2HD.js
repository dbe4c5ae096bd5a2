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
  globMatcher,
  nameBeforeVariableTag,
  parseReference,
  quoteText,
  repositoryName,
  sameRepository,
  tryParseReference,
  variablesIn,
  wholeDefault
} from "./chunk-FHORZPU6.js";
import {
  errorMessage
} from "./chunk-P3YMENVP.js";
import {
  __toESM
} from "./chunk-FJ4UO5DN.js";

// src/scan/discover.ts
import { readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
var SKIPPED_DIRECTORIES = /* @__PURE__ */ new Set([".git", "node_modules", ".hg", ".svn"]);
var MAX_FILE_BYTES = 5 * 1024 * 1024;
function discoverFiles(roots, options) {
  const result = { files: [], diagnostics: [] };
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  for (const entry of listFiles(roots, options)) {
    const read = "problem" in entry ? entry.problem : readListedFile(entry, maxBytes);
    if ("message" in read) result.diagnostics.push(read);
    else result.files.push(read);
  }
  return result;
}
function listFiles(roots, options) {
  const cwd = options.cwd ?? process.cwd();
  const entries = [];
  for (const root of roots) {
    const absoluteRoot = path.resolve(cwd, root);
    let stat;
    try {
      stat = statSync(absoluteRoot);
    } catch (err) {
      entries.push({
        problem: fileProblem(relative(cwd, absoluteRoot), `cannot read: ${errorMessage(err)}`)
      });
      continue;
    }
    if (stat.isDirectory()) {
      walk(absoluteRoot, { ...options, cwd }, entries);
    } else {
      const siblings = /* @__PURE__ */ new Set([path.basename(absoluteRoot)]);
      entries.push({ file: relative(cwd, absoluteRoot), absolutePath: absoluteRoot, siblings });
    }
  }
  return entries;
}
function readListedFile(listed, maxBytes = MAX_FILE_BYTES) {
  const { file, absolutePath, siblings } = listed;
  const decoded = readText(absolutePath, maxBytes, listed.walked === true);
  if ("problem" in decoded) return fileProblem(file, decoded.problem, decoded.severity);
  return { file, absolutePath, ...decoded, hasSibling: (name) => siblings.has(name) };
}
function walk(directory, options, entries) {
  const realRoot = realpathSync(directory);
  const stack = [
    [directory, relativePrefix(options.cwd, directory)]
  ];
  while (stack.length > 0) {
    const [current, prefix] = stack.pop();
    let dirents;
    try {
      dirents = readdirSync(current, { withFileTypes: true });
    } catch (err) {
      const where = relative(options.cwd, current);
      entries.push({ problem: fileProblem(where, `cannot list directory: ${errorMessage(err)}`) });
      continue;
    }
    const names = /* @__PURE__ */ new Set();
    for (const dirent of dirents) names.add(dirent.name);
    dirents.sort((a, b) => a.name < b.name ? -1 : 1);
    for (const dirent of dirents) {
      const { name } = dirent;
      const absolutePath = current.endsWith(path.sep) ? current + name : current + path.sep + name;
      if (dirent.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(name))
          stack.push([absolutePath, prefix === null ? null : `${prefix}${name}/`]);
        continue;
      }
      if (!dirent.isFile() && !dirent.isSymbolicLink()) continue;
      const file = prefix === null ? relative(options.cwd, absolutePath) : prefix + name;
      if (!options.wanted(file)) continue;
      entries.push(
        dirent.isFile() ? { file, absolutePath, siblings: names, walked: true } : { problem: linkProblem(file, absolutePath, realRoot) }
      );
    }
  }
}
function relativePrefix(cwd, directory) {
  const rel = path.relative(cwd, directory);
  if (rel === "") return "";
  if (rel.split(path.sep).every((segment) => segment === "..")) return null;
  return `${rel.split(path.sep).join("/")}/`;
}
function linkProblem(file, link, realRoot) {
  let target;
  try {
    target = realpathSync(link);
  } catch {
    return fileProblem(file, "skipped: broken symbolic link", "notice");
  }
  const inside = target === realRoot || target.startsWith(realRoot + path.sep);
  return inside ? fileProblem(file, "skipped: symbolic link (its target is scanned where it lives)", "notice") : fileProblem(file, "skipped: symbolic link points outside the scanned directory", "warning");
}
var utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function readText(absolutePath, maxBytes, walked = false) {
  const read = readRegularFile(absolutePath, maxBytes, { seenRegular: walked });
  return "problem" in read ? read : decodeText(read.bytes);
}
function decodeText(bytes) {
  if (bytes.subarray(0, 8192).includes(0)) return { problem: "skipped: binary file", severity: "notice" };
  let content;
  try {
    content = utf8.decode(bytes);
  } catch {
    return { problem: "skipped: not valid UTF-8 text", severity: "warning" };
  }
  const bom = content.charCodeAt(0) === 65279;
  return { content: bom ? content.slice(1) : content, bom };
}
function fileProblem(file, message, severity = "error") {
  return { file, line: 0, severity, message };
}
function relative(cwd, absolute) {
  const rel = path.relative(cwd, absolute) || path.basename(absolute);
  return rel.split(path.sep).join("/");
}

// src/scan/scan.ts
import path3 from "node:path";

// src/scan/project.ts
import path2 from "node:path/posix";

// src/scan/placeholders.ts
var KO_PREFIX = "ko://";
var PLACEHOLDER = /^[A-Z]{2,}[A-Z0-9]*(?:_[A-Z0-9]+)+$/;
function notMirroredReason(text) {
  if (!/[A-Z<]|ko:/.test(text)) return void 0;
  const trimmed = text.trim();
  if (trimmed.startsWith(KO_PREFIX)) return "is an import path ko builds and puts in its place; not mirrored";
  const angle = /<[^<>\s]{1,80}>/.exec(trimmed)?.[0];
  const word = angle ?? trimmed.split(/[/:@]/).find((part) => PLACEHOLDER.test(part));
  if (word === void 0) return void 0;
  return `holds the placeholder ${word}, which a pipeline substitutes before deploying; not mirrored`;
}

// src/scan/yaml/guards.ts
var yaml = __toESM(require_dist(), 1);
var isAlias2 = yaml.isAlias;
var isMap2 = yaml.isMap;
var isPair2 = yaml.isPair;
var isScalar2 = yaml.isScalar;
var isSeq2 = yaml.isSeq;

// src/scan/yaml/nodes.ts
var MAX_MERGE_DEPTH = 8;
function resolveNode(node, doc) {
  if (isAlias2(node)) return aliasTargets(doc).get(node);
  if (isMap2(node) || isSeq2(node) || isScalar2(node)) return node;
  return void 0;
}
var targetsByDocument = /* @__PURE__ */ new WeakMap();
function aliasTargets(doc) {
  const cached = targetsByDocument.get(doc);
  if (cached) return cached;
  const targets = /* @__PURE__ */ new Map();
  const anchors = /* @__PURE__ */ new Map();
  const stack = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias2(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
    } else if (isMap2(node) || isSeq2(node) || isScalar2(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      if (isMap2(node) || isSeq2(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          const item = node.items[i];
          if (isPair2(item)) stack.push(item.value, item.key);
          else stack.push(item);
        }
      }
    }
  }
  targetsByDocument.set(doc, targets);
  return targets;
}
function asMap(node, doc) {
  const resolved = resolveNode(node, doc);
  return isMap2(resolved) ? resolved : void 0;
}
function asSeq(node, doc) {
  const resolved = resolveNode(node, doc);
  return isSeq2(resolved) ? resolved : void 0;
}
function seqItems(node, doc) {
  const seq = asSeq(node, doc);
  if (!seq) return [];
  return seq.items.map((item) => resolveNode(item, doc)).filter((item) => item !== void 0);
}
function keyText(key, doc) {
  const resolved = resolveNode(key, doc);
  if (!isScalar2(resolved) || resolved.value === null) return void 0;
  return String(resolved.value);
}
function mapEntries(map, doc) {
  const entries = [];
  for (const pair of map.items) {
    if (!isPair2(pair)) continue;
    const key = keyText(pair.key, doc);
    if (key !== void 0 && key !== "<<") entries.push({ key, value: pair.value });
  }
  return entries;
}
function lookup(map, key, doc, depth = 0) {
  let found;
  const merges = [];
  for (const pair of map.items) {
    if (!isPair2(pair)) continue;
    const text = keyText(pair.key, doc);
    if (text === key) found = { value: pair.value };
    else if (text === "<<" && isScalar2(pair.key) && pair.key.type === "PLAIN") merges.push(pair.value);
  }
  if (found || depth >= MAX_MERGE_DEPTH) return found;
  for (const merge2 of merges) {
    const sources = isSeq2(resolveNode(merge2, doc)) ? seqItems(merge2, doc) : [resolveNode(merge2, doc)];
    for (const source of sources) {
      if (!isMap2(source)) continue;
      const inherited = lookup(source, key, doc, depth + 1);
      if (inherited) return inherited;
    }
  }
  return void 0;
}
function getNode(map, key, doc) {
  const entry = lookup(map, key, doc);
  return entry ? resolveNode(entry.value, doc) : void 0;
}
function scalarText(node) {
  if (node.value === null || node.value === void 0) return void 0;
  if (node.type === "PLAIN" && typeof node.source === "string") return node.source;
  return String(node.value);
}
function getText(map, key, doc) {
  const node = getNode(map, key, doc);
  return isScalar2(node) ? scalarText(node) : void 0;
}
function getPath(node, path9, doc) {
  let current = resolveNode(node, doc);
  for (const key of path9) {
    if (!isMap2(current)) return void 0;
    current = getNode(current, key, doc);
  }
  return current;
}

// src/scan/yaml/parse.ts
var import_yaml3 = __toESM(require_dist(), 1);

// src/scan/yaml/documents.ts
var import_yaml2 = __toESM(require_dist(), 1);

// src/scan/yaml/fast-nodes.ts
var import_yaml = __toESM(require_dist(), 1);
var schema = new import_yaml.Schema({ schema: "core" });
var SCALAR = new import_yaml.Scalar(null);
var PAIR = new import_yaml.Pair(null);
var MAP = new import_yaml.YAMLMap(schema);
var SEQ = new import_yaml.YAMLSeq(schema);
var DOCUMENT = new import_yaml.Document();
function createScalar(value) {
  const scalar = Object.create(SCALAR);
  scalar.value = value;
  return scalar;
}
function createPair(key, value) {
  const pair = Object.create(PAIR);
  pair.key = key;
  pair.value = value;
  return pair;
}
function createMap(items = []) {
  const map = Object.create(MAP);
  map.items = items;
  return map;
}
function createSeq(items = []) {
  const seq = Object.create(SEQ);
  seq.items = items;
  return seq;
}
function createDocument(contents, range) {
  const document = Object.create(DOCUMENT);
  document.commentBefore = null;
  document.comment = null;
  document.errors = [];
  document.warnings = [];
  document.contents = contents;
  document.range = range;
  return document;
}

// src/scan/yaml/fast-scalar.ts
var OUTSIDE_SUBSET = /* @__PURE__ */ Symbol("outside the fast YAML subset");
function outside() {
  throw OUTSIDE_SUBSET;
}
var INDICATORS = /* @__PURE__ */ new Set([
  "-",
  "?",
  ":",
  ",",
  "[",
  "]",
  "{",
  "}",
  "#",
  "&",
  "*",
  "!",
  "|",
  ">",
  "'",
  '"',
  "%",
  "@",
  "`"
]);
function mayNotBeString(source) {
  const first = source.charCodeAt(0);
  if (first === 110 || first === 78 || first === 116 || first === 84 || first === 102 || first === 70)
    return source.length === 4 || source.length === 5;
  return first === 45 || first === 43 || first === 46 || first === 126 || first >= 48 && first <= 57;
}
var implicitTags = schema.tags.filter(
  (tag) => tag.default === true && !("collection" in tag && tag.collection) && !!tag.test
);
function skipSpaces(text, at, end) {
  let i = at;
  while (i < end && text.charCodeAt(i) === 32) i++;
  return i;
}
function startsPlain(text, at, end) {
  const first = text[at];
  return !INDICATORS.has(first) || first === "-" && at + 1 < end && text.charCodeAt(at + 1) !== 32;
}
function plainScalar(source) {
  const tag = mayNotBeString(source) ? implicitTags.find((t) => t.test.test(source)) : void 0;
  let scalar;
  if (tag) {
    const resolved = tag.resolve(source, outside, { intAsBigInt: false });
    scalar = isScalar2(resolved) ? resolved : createScalar(resolved);
    if (tag.format) scalar.format = tag.format;
  } else {
    scalar = createScalar(source);
  }
  scalar.source = source;
  scalar.type = "PLAIN";
  return scalar;
}
function closingQuote(text, at, end) {
  const quote2 = text[at];
  for (let close = at + 1; close < end; close++) {
    const ch = text[close];
    if (ch === "\\" && quote2 === '"') outside();
    if (ch !== quote2) continue;
    if (quote2 === "'" && text[close + 1] === "'") close++;
    else return close;
  }
  return outside();
}
function quotedScalar(text, at, close) {
  const single = text[at] === "'";
  const raw = text.slice(at + 1, close);
  const value = single ? raw.replaceAll("''", "'") : raw;
  const scalar = createScalar(value);
  scalar.source = value;
  scalar.type = single ? "QUOTE_SINGLE" : "QUOTE_DOUBLE";
  scalar.range = [at, close + 1, close + 1];
  return scalar;
}

// src/scan/yaml/fast-block.ts
function isBlockStart(text, at) {
  const code = text.charCodeAt(at);
  return code === 124 || code === 62;
}
function readBlockScalar(text, at, lineEnd, column, documentEnd) {
  const folded = text.charCodeAt(at) === 62;
  const strip = text.charCodeAt(at + 1) === 45;
  const headerEnd = at + (strip ? 2 : 1);
  const afterHeader = skipSpaces(text, headerEnd, lineEnd);
  if (afterHeader < lineEnd && !(text.charCodeAt(afterHeader) === 35 && afterHeader > headerEnd))
    outside();
  const body = readBody(text, lineEnd + 1, column, documentEnd, folded);
  const joined = folded ? fold(body.lines) : body.lines.join("\n");
  const value = strip ? joined : `${joined}
`;
  const scalar = createScalar(value);
  scalar.source = value;
  scalar.type = folded ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
  scalar.range = [at, body.end, body.end];
  return { scalar, end: body.end };
}
function readBody(text, from, column, documentEnd, folded) {
  const lines = [];
  let indent = -1;
  let longestBlank = 0;
  let kept = 0;
  let end = from;
  for (let start = from; start < documentEnd; ) {
    const newline = text.indexOf("\n", start);
    const lineEnd = newline < 0 || newline >= documentEnd ? documentEnd : newline;
    const spaces = skipSpaces(text, start, lineEnd) - start;
    if (start + spaces === lineEnd) {
      longestBlank = Math.max(longestBlank, spaces);
      lines.push("");
    } else {
      if (indent < 0) indent = spaces;
      if (spaces < indent || spaces <= column) break;
      if (folded && spaces > indent) outside();
      lines.push(text.slice(start + indent, lineEnd));
      kept = lines.length;
      end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    }
    if (lineEnd === documentEnd) break;
    start = newline + 1;
  }
  if (kept === 0 || longestBlank > indent) outside();
  lines.length = kept;
  return { lines, end };
}
function fold(lines) {
  let result = "";
  let breaks = 0;
  let started = false;
  for (const line of lines) {
    if (line === "") {
      breaks++;
      continue;
    }
    result += started && breaks === 0 ? " " : "\n".repeat(breaks);
    result += line;
    breaks = 0;
    started = true;
  }
  return result;
}

// src/scan/yaml/fast-flow.ts
var MAX_FLOW_DEPTH = 16;
var OPEN_MAP = 123;
var CLOSE_MAP = 125;
var OPEN_SEQ = 91;
var CLOSE_SEQ = 93;
var COMMA = 44;
var COLON = 58;
function isFlowStart(text, at) {
  const code = text.charCodeAt(at);
  return code === OPEN_MAP || code === OPEN_SEQ;
}
function readFlowCollection(text, at, end, depth = 0) {
  if (depth >= MAX_FLOW_DEPTH) outside();
  const isMap3 = text.charCodeAt(at) === OPEN_MAP;
  const close = isMap3 ? CLOSE_MAP : CLOSE_SEQ;
  const collection = isMap3 ? createMap() : createSeq();
  collection.flow = true;
  let i = skipSpaces(text, at + 1, end);
  if (text.charCodeAt(i) !== close) {
    for (; ; ) {
      i = isMap3 ? readPair(text, i, end, depth, collection) : readItem(text, i, end, depth, collection);
      const code = text.charCodeAt(i);
      if (code === close) break;
      if (code !== COMMA) outside();
      i = skipSpaces(text, i + 1, end);
      if (text.charCodeAt(i) === close || text.charCodeAt(i) === COMMA) outside();
    }
  }
  collection.range = [at, i + 1, skipSpaces(text, i + 1, end)];
  return { node: collection, next: skipSpaces(text, i + 1, end) };
}
function readPair(text, at, end, depth, map) {
  if (isFlowStart(text, at)) outside();
  const key = readFlowScalar(text, at, end);
  const colon = key.node.range[1];
  if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== 32) outside();
  key.node.range = [key.node.range[0], colon, colon];
  const valueAt = skipSpaces(text, colon + 1, end);
  const code = text.charCodeAt(valueAt);
  if (valueAt >= end || code === COMMA || code === CLOSE_MAP) outside();
  const value = readFlowNode(text, valueAt, end, depth);
  map.items.push(createPair(key.node, value.node));
  return value.next;
}
function readItem(text, at, end, depth, seq) {
  const item = readFlowNode(text, at, end, depth);
  if (text.charCodeAt(item.next) === COLON) outside();
  seq.items.push(item.node);
  return item.next;
}
function readFlowNode(text, at, end, depth) {
  if (at >= end) outside();
  return isFlowStart(text, at) ? readFlowCollection(text, at, end, depth + 1) : readFlowScalar(text, at, end);
}
function readFlowScalar(text, at, end) {
  const quote2 = text[at];
  if (quote2 === '"' || quote2 === "'") {
    const close = closingQuote(text, at, end);
    const scalar2 = quotedScalar(text, at, close);
    const next = skipSpaces(text, close + 1, end);
    scalar2.range = [at, close + 1, next];
    return { node: scalar2, next };
  }
  if (!startsPlain(text, at, end)) outside();
  let stop = at;
  for (; stop < end; stop++) {
    const code = text.charCodeAt(stop);
    if (code === COMMA || code === OPEN_SEQ || code === CLOSE_SEQ || code === OPEN_MAP || code === CLOSE_MAP)
      break;
    if (code === COLON && endsPlainAfterColon(text, stop + 1, end)) break;
    if (code === 35 && text.charCodeAt(stop - 1) === 32) outside();
  }
  let last = stop;
  while (last > at && text.charCodeAt(last - 1) === 32) last--;
  const scalar = plainScalar(text.slice(at, last));
  scalar.range = [at, last, stop];
  return { node: scalar, next: stop };
}
function endsPlainAfterColon(text, at, end) {
  if (at >= end) return true;
  const code = text.charCodeAt(at);
  return code === 32 || code === COMMA || code === OPEN_SEQ || code === CLOSE_SEQ || code === OPEN_MAP || code === CLOSE_MAP;
}

// src/scan/yaml/fast-parse.ts
var MAX_LINE = 1e3;
var UNSUPPORTED_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;
function parseBlockYaml(text, from = 0, to = text.length) {
  if (UNSUPPORTED_CHARACTERS.test(from === 0 && to === text.length ? text : text.slice(from, to)))
    return void 0;
  try {
    return splitDocuments(text, from, to).map((part) => parseDocument(text, part));
  } catch (err) {
    if (err === OUTSIDE_SUBSET) return void 0;
    throw err;
  }
}
function splitDocuments(text, from, to) {
  const parts = [];
  let current = { emptyAt: from, end: to, lines: [], comments: [] };
  let explicit = false;
  for (let start = from; start < to; ) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 || newline >= to ? to : newline;
    if (end - start > MAX_LINE) outside();
    let indent = start;
    while (indent < end && text.charCodeAt(indent) === 32) indent++;
    if (indent === start && (text.startsWith("---", start) || text.startsWith("...", start))) {
      if (!text.startsWith("---", start) || skipSpaces(text, start + 3, end) !== end) outside();
      current.end = start;
      if (explicit || current.lines.length > 0) parts.push(current);
      current = { emptyAt: end, end: to, lines: [], comments: [] };
      explicit = true;
    } else if (indent < end) {
      const line = { start, end, indent: indent - start };
      if (text.charCodeAt(indent) === 35) current.comments.push(line);
      else current.lines.push(line);
    }
    if (end === to) break;
    start = newline + 1;
  }
  if (explicit || current.lines.length > 0) parts.push(current);
  return parts;
}
function parseDocument(text, part) {
  const first = part.lines[0];
  let contents;
  if (!first) {
    contents = nullScalar(part.emptyAt, part.emptyAt);
    checkComments(part, []);
  } else {
    if (first.indent !== 0) outside();
    const cursor = { text, lines: part.lines, index: 0, end: part.end, items: [], blocks: [] };
    contents = parseCollection(cursor, first, 0);
    if (cursor.index !== part.lines.length) outside();
    checkComments(part, cursor.blocks);
  }
  return createDocument(contents, [first?.start ?? part.emptyAt, contents.range[1], contents.range[1]]);
}
function checkComments(part, blocks) {
  let next = 0;
  let block = 0;
  for (const comment of part.comments) {
    while (block < blocks.length && blocks[block + 1] <= comment.start) block += 2;
    if (block < blocks.length && blocks[block] <= comment.start) continue;
    while (next < part.lines.length && part.lines[next].start < comment.start) next++;
    const indent = part.lines[next]?.indent ?? 0;
    if (comment.indent !== indent) outside();
  }
}
function isDash(text, at, end) {
  return text.charCodeAt(at) === 45 && (at + 1 === end || text.charCodeAt(at + 1) === 32);
}
function afterLine(text, line) {
  return line.end < text.length ? line.end + 1 : line.end;
}
function nullScalar(at, end) {
  const scalar = createScalar(null);
  scalar.source = "";
  scalar.type = "PLAIN";
  scalar.range = [at, at, end];
  return scalar;
}
function parseCollection(cursor, line, column) {
  return isDash(cursor.text, line.start + column, line.end) ? parseSeq(cursor, column) : parseMap(cursor, column);
}
function parseSeq(cursor, column) {
  const { text, lines, items } = cursor;
  const base = items.length;
  const start = lines[cursor.index].start + column;
  let end = start;
  while (cursor.index < lines.length) {
    const line = lines[cursor.index];
    if (line.indent < column || line.indent === column && !isDash(text, line.start + column, line.end))
      break;
    if (line.indent > column) outside();
    const item = parseValue(cursor, line, skipSpaces(text, line.start + column + 1, line.end), column, true);
    items.push(item);
    end = item.range[2];
  }
  const seq = createSeq(takeItems(items, base));
  seq.range = [start, end, end];
  return seq;
}
function takeItems(items, base) {
  const taken = items.slice(base);
  items.length = base;
  return taken;
}
function parseMap(cursor, column) {
  const { text, lines, items } = cursor;
  const base = items.length;
  const start = lines[cursor.index].start + column;
  let end = start;
  for (let first = true; cursor.index < lines.length; first = false) {
    const line = lines[cursor.index];
    if (!first && line.indent < column) break;
    if (!first && line.indent > column) outside();
    const key = readScalar(text, line.start + column, line.end);
    const colon = keyColon;
    if (colon < 0) outside();
    const value = parseValue(cursor, line, skipSpaces(text, colon + 1, line.end), column, false);
    items.push(createPair(key, value));
    end = value.range[2];
  }
  const map = createMap(takeItems(items, base));
  map.range = [start, end, end];
  return map;
}
function parseValue(cursor, line, at, column, inSeq) {
  const { text, lines } = cursor;
  if (at === line.end || text.charCodeAt(at) === 35) {
    cursor.index++;
    const next2 = lines[cursor.index];
    if (next2 && (next2.indent > column || !inSeq && next2.indent === column && isDash(text, next2.start + column, next2.end)))
      return parseCollection(cursor, next2, next2.indent);
    if (at !== line.end || text.slice(line.end, next2?.start ?? cursor.end).includes("#")) outside();
    return nullScalar(at, at);
  }
  if (inSeq && isDash(text, at, line.end)) outside();
  if (isFlowStart(text, at)) return parseFlowValue(cursor, line, at, column);
  if (isBlockStart(text, at)) return parseBlockValue(cursor, line, at, column);
  const scalar = readScalar(text, at, line.end);
  if (keyColon >= 0) {
    if (!inSeq) outside();
    return parseMap(cursor, at - line.start);
  }
  cursor.index++;
  const next = lines[cursor.index];
  if (next && next.indent > column) outside();
  scalar.range[2] = afterLine(text, line);
  return scalar;
}
function parseBlockValue(cursor, line, at, column) {
  const { lines } = cursor;
  const block = readBlockScalar(cursor.text, at, line.end, column, cursor.end);
  cursor.blocks.push(line.end + 1, block.end);
  cursor.index++;
  while (cursor.index < lines.length && lines[cursor.index].start < block.end) cursor.index++;
  const next = lines[cursor.index];
  if (next && next.indent > column) outside();
  return block.scalar;
}
function parseFlowValue(cursor, line, at, column) {
  const { text, lines } = cursor;
  const flow = readFlowCollection(text, at, line.end);
  const closed = flow.node.range[1];
  if (flow.next < line.end && !(text.charCodeAt(flow.next) === 35 && flow.next > closed)) outside();
  cursor.index++;
  const next = lines[cursor.index];
  if (next && next.indent > column) outside();
  flow.node.range = [at, closed, afterLine(text, line)];
  return flow.node;
}
var keyColon = -1;
function readScalar(text, at, end) {
  const quote2 = text[at];
  if (quote2 === '"' || quote2 === "'") return readQuoted(text, at, end);
  if (!startsPlain(text, at, end)) outside();
  let stop = at;
  let colon = -1;
  for (; stop < end; stop++) {
    const code = text.charCodeAt(stop);
    if (code === 58 && (stop + 1 === end || text.charCodeAt(stop + 1) === 32)) {
      colon = stop;
      break;
    }
    if (code === 35 && text.charCodeAt(stop - 1) === 32) break;
  }
  let last = stop;
  while (last > at && text.charCodeAt(last - 1) === 32) last--;
  const source = text.slice(at, last);
  if (colon >= 0 && at + source.length !== colon) outside();
  const scalar = plainScalar(source);
  scalar.range = [at, at + source.length, at + source.length];
  keyColon = colon;
  return scalar;
}
function readQuoted(text, at, end) {
  const close = closingQuote(text, at, end);
  const after = skipSpaces(text, close + 1, end);
  let colon = -1;
  if (text[after] === ":" && (after + 1 === end || text.charCodeAt(after + 1) === 32)) colon = after;
  else if (after < end && !(text[after] === "#" && after > close + 1)) outside();
  if (colon >= 0 && after !== close + 1) outside();
  keyColon = colon;
  return quotedScalar(text, at, close);
}

// src/scan/yaml/documents.ts
function blankDocuments(content, keep) {
  const starts = documentStarts(content);
  if (!starts || starts.length < 2) return content;
  let result = "";
  let blanked = false;
  for (let i = 0; i < starts.length; i++) {
    const document = content.slice(starts[i], starts[i + 1] ?? content.length);
    if (keep(document)) {
      result += document;
      continue;
    }
    blanked = true;
    const marker = isMarkerAt(document, 0) ? 3 : 0;
    result += document.slice(0, marker) + document.slice(marker).replace(/[^\n]/g, " ");
  }
  return blanked ? result : content;
}
function parseDocuments(content, keep) {
  const starts = documentStarts(content);
  if (!starts || starts.length < 2) return void 0;
  if (starts.some(
    (start) => content.charCodeAt(start) === 46
    /* . */
  )) return void 0;
  const documents = [];
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i];
    const to = starts[i + 1] ?? content.length;
    if (keep && !keep(content.slice(from, to))) continue;
    const parsed = parseBlockYaml(content, from, to) ?? parseWithOffset(content, from, to);
    if (!parsed) return void 0;
    for (const document of parsed) documents.push(document);
  }
  return documents;
}
function parseWithOffset(content, from, to) {
  let parsed;
  try {
    parsed = (0, import_yaml2.parseAllDocuments)(content.slice(from, to), {
      uniqueKeys: false,
      prettyErrors: false
    });
  } catch {
    return void 0;
  }
  for (const document of parsed) {
    if (document.errors.length > 0) return void 0;
    if (from > 0) moveRanges(document, from);
  }
  return parsed;
}
function moveRanges(document, by) {
  const move = (range) => {
    if (range) for (let i = 0; i < range.length; i++) range[i] += by;
  };
  move(document.range);
  const stack = [document.contents];
  const moved = /* @__PURE__ */ new Set();
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair2(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!(isScalar2(node) || isAlias2(node) || isMap2(node) || isSeq2(node)) || moved.has(node)) continue;
    moved.add(node);
    move(node.range);
    if (isMap2(node) || isSeq2(node)) for (const item of node.items) stack.push(item);
  }
}
function documentStarts(content) {
  if (content.charCodeAt(0) === 37) return void 0;
  const starts = [0];
  for (let newline = content.indexOf("\n"); newline >= 0; newline = content.indexOf("\n", newline + 1)) {
    const first = content.charCodeAt(newline + 1);
    if (first === 37) return void 0;
    if ((first === 45 || first === 46) && isMarkerAt(content, newline + 1))
      starts.push(newline + 1);
  }
  return starts;
}
function isMarkerAt(text, offset) {
  const first = text.charCodeAt(offset);
  if (first !== 45 && first !== 46) return false;
  if (text.charCodeAt(offset + 1) !== first || text.charCodeAt(offset + 2) !== first) return false;
  const next = text.charCodeAt(offset + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

// src/scan/yaml/position.ts
function createLineIndex(content) {
  let starts;
  return {
    positionAt(offset) {
      if (!starts) {
        starts = [0];
        for (let i = content.indexOf("\n"); i >= 0; i = content.indexOf("\n", i + 1)) starts.push(i + 1);
      }
      const clamped = Math.max(0, Math.min(offset, content.length));
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = low + high + 1 >> 1;
        if (starts[mid] <= clamped) low = mid;
        else high = mid - 1;
      }
      return { line: low + 1, column: clamped - starts[low] + 1 };
    }
  };
}

// src/scan/yaml/parse.ts
function parseYamlStream(content, file, keep) {
  const documents = parseDocuments(content, keep);
  if (documents) return { documents, diagnostics: [] };
  const text = keep ? blankDocuments(content, keep) : content;
  const fast = parseBlockYaml(text);
  if (fast) return { documents: fast, diagnostics: [] };
  return parseWithYaml(text, file);
}
function parseWithYaml(content, file) {
  const diagnostics = [];
  let parsed;
  try {
    parsed = (0, import_yaml3.parseAllDocuments)(content, { uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    return {
      documents: [],
      diagnostics: [
        { file, line: 0, severity: "error", message: `could not parse YAML: ${errorMessage(err)}` }
      ]
    };
  }
  const documents = [];
  for (const doc of parsed) {
    const first = doc.errors[0];
    if (first) diagnostics.push(syntaxDiagnostic(first, file, content));
    else documents.push(doc);
  }
  return { documents, diagnostics };
}
function syntaxDiagnostic(error, file, content) {
  const summary = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  return {
    file,
    line: createLineIndex(content).positionAt(error.pos[0]).line,
    severity: "error",
    message: `could not parse YAML: ${summary}`
  };
}
function mayContainKeys(content, words) {
  if (content.includes("\\")) return true;
  return words.some((word) => content.includes(word));
}
function matchesAtLineStart(content, word, after) {
  for (let at = content.indexOf(word); at >= 0; at = content.indexOf(word, at + 1)) {
    const before = content.charCodeAt(at - 1);
    if (at > 0 && before !== 10 && before !== 13 && before !== 8232 && before !== 8233) continue;
    after.lastIndex = at + word.length;
    if (after.test(content)) return true;
  }
  return false;
}

// src/scan/yaml/span.ts
var STYLES = {
  PLAIN: "plain",
  QUOTE_DOUBLE: "double",
  QUOTE_SINGLE: "single",
  BLOCK_LITERAL: "block-literal",
  BLOCK_FOLDED: "block-folded"
};
function scalarSpan(node, content) {
  const value = scalarText(node);
  if (value === void 0 || !node.range) return void 0;
  const style = STYLES[node.type ?? "PLAIN"] ?? "plain";
  const [start, valueEnd] = node.range;
  const end = start + content.slice(start, valueEnd).trimEnd().length;
  return { start, end, style, value };
}
function mappingInfo(map, content, lines) {
  const start = map.range?.[0] ?? 0;
  const flow = Boolean(map.flow);
  const end = flow ? map.range?.[1] ?? start : contentEnd(map, content);
  const firstKey = map.items.find(isPair2)?.key;
  const keyStart = isScalar2(firstKey) || isMap2(firstKey) || isSeq2(firstKey) ? firstKey.range?.[0] ?? start : start;
  return { start, end, flow, indent: lines.positionAt(keyStart).column - 1 };
}
function contentEnd(node, content) {
  let current = node;
  for (let depth = 0; depth < 1e3; depth++) {
    if ((isMap2(current) || isSeq2(current)) && !current.flow && current.items.length > 0) {
      const last = current.items[current.items.length - 1];
      current = isPair2(last) ? last.value ?? last.key : last;
      continue;
    }
    break;
  }
  const range = current?.range;
  if (!range) return node.range?.[1] ?? 0;
  return range[0] + content.slice(range[0], range[1]).trimEnd().length;
}

// src/scan/yaml/scan.ts
function textFact(scan, name, test) {
  let fact = scan.facts.get(name);
  if (fact === void 0) {
    fact = test(scan.content);
    scan.facts.set(name, fact);
  }
  return fact;
}
function scanYaml(content, file, visit, options = {}) {
  const { keepDocument, context } = options;
  const { documents, diagnostics } = parseYamlStream(content, file, keepDocument);
  const occurrences = [];
  const buildOutputs = [];
  const lines = createLineIndex(content);
  const seen = /* @__PURE__ */ new Set();
  const facts = /* @__PURE__ */ new Map();
  for (const doc of documents) {
    const root = resolveNode(doc.contents, doc);
    if (!root) continue;
    const scan = { file, content, lines, doc, occurrences, diagnostics, seen, buildOutputs, facts };
    if (context) scan.context = context;
    try {
      visit(scan, root);
    } catch (err) {
      const line = lines.positionAt(root.range?.[0] ?? 0).line;
      diagnose(scan, line, "error", `could not scan this document: ${errorMessage(err)}`);
    }
  }
  return buildOutputs.length > 0 ? { occurrences, diagnostics, buildOutputs } : { occurrences, diagnostics };
}
function diagnose(scan, line, severity, message) {
  scan.diagnostics.push({ file: scan.file, line, severity, message });
}
function lineOf(scan, node) {
  return scan.lines.positionAt(node.range?.[0] ?? 0).line;
}
function templateIn(text) {
  if (text.includes("{{")) return "a template expression ({{ }})";
  if (/\$(?:\{|\(|[A-Za-z_])/.test(text)) return "a variable ($\u2026)";
  return void 0;
}
var literalOnly = (text) => {
  const template = templateIn(text);
  return template ? { problem: `contains ${template}, resolved only at deploy time` } : { text };
};
function takeScalarSpan(scan, value) {
  const node = resolveNode(value, scan.doc);
  if (!node) return void 0;
  if (!isScalar2(node)) {
    reportNotScalar(scan, node);
    return void 0;
  }
  const span = scalarSpan(node, scan.content);
  if (!span || scan.seen.has(span.start)) return void 0;
  scan.seen.add(span.start);
  return { node, span };
}
function reportScalar(scan, value, kind, options = {}) {
  const taken = takeScalarSpan(scan, value);
  if (!taken) return;
  const { node, span } = taken;
  const prefix = options.prefix ?? "";
  const text = span.value.trim().slice(prefix.length);
  if (text === "") return;
  const resolved = (options.resolve ?? literalOnly)(text);
  const line = lineOf(scan, node);
  if ("problem" in resolved) {
    diagnose(scan, line, "warning", `image ${quote(text)} ${resolved.problem}`);
    return;
  }
  const notMirrored = notMirroredReason(resolved.text);
  if (notMirrored) {
    diagnose(scan, line, "notice", `image ${quote(resolved.text)} ${notMirrored}`);
    return;
  }
  const parsed = tryParseReference(resolved.text);
  if (!parsed.ok) {
    diagnose(scan, line, "warning", `invalid image reference ${quote(resolved.text)}: ${parsed.reason}`);
    return;
  }
  scan.occurrences.push({
    ...placeAt(scan, span),
    kind,
    reference: parsed.reference,
    target: { type: "scalar", scalar: span, prefix }
  });
}
function reportNotScalar(scan, node) {
  const [start = 0, end = start] = node.range ?? [];
  const source = scan.content.slice(start, end);
  const what = isMap2(node) ? "a mapping" : isSeq2(node) ? "a sequence" : "not a string";
  const template = templateIn(source);
  const message = template ? `image ${quote(source)} contains ${template}, resolved only at deploy time` : `expected an image reference, found ${what}`;
  diagnose(scan, lineOf(scan, node), "warning", message);
}
function reportFields(scan, image) {
  if (scan.seen.has(image.main.start)) return;
  scan.seen.add(image.main.start);
  const line = scan.lines.positionAt(image.main.start).line;
  const notMirrored = notMirroredReason(image.text);
  if (notMirrored) {
    diagnose(scan, line, "notice", `image ${quote(image.text)} ${notMirrored}`);
    return;
  }
  const parsed = tryParseReference(image.text);
  if (!parsed.ok) {
    if (!image.quiet)
      diagnose(scan, line, "warning", `invalid image reference ${quote(image.text)}: ${parsed.reason}`);
    return;
  }
  const format = image.format ?? (image.kind === "kustomize" ? "kustomize" : "helm");
  const target = image.notRewritable ? { type: "none", reason: image.notRewritable } : {
    type: "fields",
    format,
    fields: image.fields,
    mapping: mappingInfo(image.mapping, scan.content, scan.lines)
  };
  if (target.type === "fields" && image.keys && Object.keys(image.keys).length > 0) target.keys = image.keys;
  scan.occurrences.push({
    ...placeAt(scan, image.main),
    kind: image.kind,
    reference: parsed.reference,
    target
  });
}
function placeAt(scan, span) {
  return {
    file: scan.file,
    start: scan.lines.positionAt(span.start),
    end: scan.lines.positionAt(span.end),
    raw: scan.content.slice(span.start, span.end)
  };
}
function quote(text) {
  return quoteText(text);
}
function fieldSpans(scan, map, keys) {
  const fields = {};
  for (const key of keys) {
    const node = getNode(map, key, scan.doc);
    const span = isScalar2(node) ? scalarSpan(node, scan.content) : void 0;
    if (!span) continue;
    const template = templateIn(span.value);
    if (template) {
      diagnose(
        scan,
        lineOf(scan, node),
        "warning",
        `${key} ${quote(span.value)} contains ${template}, resolved only at deploy time`
      );
      return void 0;
    }
    fields[key] = span;
  }
  return fields;
}

// src/scan/project.ts
function createProjectFiles(files, envFiles) {
  const byPath = /* @__PURE__ */ new Map();
  const byDirectory = /* @__PURE__ */ new Map();
  for (const { file, content } of files) {
    byPath.set(file, content);
    const slash = file.lastIndexOf("/");
    const directory = slash < 0 ? "." : file.slice(0, slash);
    const listed = byDirectory.get(directory) ?? [];
    listed.push(file);
    byDirectory.set(directory, listed);
  }
  const sorted = /* @__PURE__ */ new Set();
  let all;
  const project = {
    read: (file) => byPath.get(file) ?? (isNormal(file) ? void 0 : byPath.get(path2.normalize(file))),
    list: (directory) => {
      const listed = byDirectory.get(path2.normalize(directory));
      if (!listed) return [];
      if (!sorted.has(listed)) {
        listed.sort();
        sorted.add(listed);
      }
      return listed;
    },
    listUnder: (directory) => {
      all ??= [...byPath.keys()].sort();
      const normalized = path2.normalize(directory);
      if (normalized === ".") return all;
      const prefix = `${normalized}/`;
      let low = 0;
      let high = all.length;
      while (low < high) {
        const mid = low + high >> 1;
        if (all[mid] < prefix) low = mid + 1;
        else high = mid;
      }
      let end = low;
      while (end < all.length && all[end].startsWith(prefix)) end++;
      return all.slice(low, end);
    }
  };
  if (envFiles?.length) project.envFiles = envFiles.map((file) => path2.normalize(file));
  return project;
}
function isNormal(file) {
  return !/(?:^|\/)\.\.?(?:\/|$)|\/\/|\/$/.test(file);
}
function separateBuildOutputs(occurrences, outputs) {
  if (outputs.length === 0) return { occurrences: [...occurrences], notices: [] };
  const byName = /* @__PURE__ */ new Map();
  for (const output of outputs) {
    const same = byName.get(output.name);
    if (same) same.push(output);
    else byName.set(output.name, [output]);
  }
  const result = { occurrences: [], notices: [] };
  for (const occurrence of occurrences) {
    const tag = occurrence.reference.tag ?? "latest";
    const output = byName.get(repositoryName(occurrence.reference))?.find((o) => covers(o, occurrence.file) && (o.tag === void 0 || o.tag === tag));
    if (!output) {
      result.occurrences.push(occurrence);
      continue;
    }
    result.notices.push({
      file: occurrence.file,
      line: occurrence.start.line,
      severity: "notice",
      message: `image ${quote(occurrence.raw)} is built by this repository (${output.via}, ${output.file}:${output.line}), which puts its own build in its place; not mirrored`
    });
  }
  return result;
}
function covers(output, file) {
  if (output.scope === "file") return output.file === file;
  const directory = path2.dirname(output.file);
  return directory === "." || file.startsWith(`${directory}/`);
}
function uniqueOccurrences(occurrences, only) {
  if (only?.size === 0) return [...occurrences];
  const seen = /* @__PURE__ */ new Set();
  return occurrences.filter((occurrence) => {
    if (only && !only.has(occurrence.file)) return true;
    const { start, end } = occurrence;
    const key = `${occurrence.file}
${start.line}:${start.column}-${end.line}:${end.column}
${formatReference(occurrence.reference)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// src/scan/scan.ts
function scanPaths(roots, options) {
  const isIncluded = options.include?.length ? globMatcher(options.include) : () => true;
  const isExcluded = globMatcher(options.exclude ?? []);
  const wanted = (file) => isIncluded(file) && !isExcluded(file) && options.finders.some((finder) => finder.matches(file) || finder.reads?.(file));
  const discoverOptions = { wanted };
  if (options.cwd !== void 0) discoverOptions.cwd = options.cwd;
  if (options.maxBytes !== void 0) discoverOptions.maxBytes = options.maxBytes;
  const discovery = discoverFiles(roots, discoverOptions);
  const envFiles = readEnvFiles(options, discovery);
  const project = createProjectFiles(discovery.files, envFiles);
  const files = discovery.files.map((source) => Object.assign(source, { project }));
  const occurrences = [];
  const diagnostics = [...discovery.diagnostics];
  const outputs = [];
  const shared = /* @__PURE__ */ new Set();
  for (const source of files) {
    const finder = finderFor(options.finders, source.file);
    if (!finder && options.finders.some((f) => f.reads?.(source.file))) continue;
    const extracted = extractWith(finder ? [finder] : options.finders, source.file, source.content, source);
    for (const occurrence of extracted.occurrences) {
      if (occurrence.file !== source.file) shared.add(occurrence.file);
      occurrences.push(occurrence);
    }
    diagnostics.push(...extracted.diagnostics);
    if (extracted.buildOutputs) outputs.push(...extracted.buildOutputs);
  }
  const separated = separateBuildOutputs(uniqueOccurrences(occurrences, shared), outputs);
  return { occurrences: separated.occurrences, diagnostics: [...diagnostics, ...separated.notices], files };
}
function readEnvFiles(options, discovery) {
  if (!options.envFiles?.length) return void 0;
  const cwd = options.cwd ?? process.cwd();
  const read = discoverFiles(options.envFiles, { wanted: () => true, cwd });
  const known = new Set(discovery.files.map((f) => f.file));
  for (const file of read.files) if (!known.has(file.file)) discovery.files.push(file);
  discovery.diagnostics.push(...read.diagnostics);
  return options.envFiles.map((file) => relative(cwd, path3.resolve(cwd, file)));
}
function finderFor(finders, file) {
  return finders.find((finder) => finder.matches(file));
}
function extractWith(finders, file, content, context) {
  const finder = finderFor(finders, file);
  if (!finder) {
    return {
      occurrences: [],
      diagnostics: [
        { file, line: 0, severity: "notice", message: "skipped: no finder reads this kind of file" }
      ]
    };
  }
  try {
    return finder.extract(content, file, context);
  } catch (err) {
    return {
      occurrences: [],
      diagnostics: [
        { file, line: 0, severity: "error", message: `${finder.name} finder failed: ${errorMessage(err)}` }
      ]
    };
  }
}

// src/scan/kubernetes/extract.ts
import path7 from "node:path/posix";

// src/scan/cloudbuild/extract.ts
var BUILD_KEYS = /* @__PURE__ */ new Set([
  "steps",
  "timeout",
  "queueTtl",
  "logsBucket",
  "options",
  "substitutions",
  "tags",
  "serviceAccount",
  "secrets",
  "availableSecrets",
  "artifacts",
  "images",
  "dependencies",
  "projectId",
  "logging",
  "defaultLogsBucketBehavior"
]);
var STEP_KEYS = /* @__PURE__ */ new Set([
  "name",
  "args",
  "env",
  "allowFailure",
  "allowExitCodes",
  "dir",
  "id",
  "waitFor",
  "entrypoint",
  "secretEnv",
  "volumes",
  "timeout",
  "script",
  "automapSubstitutions",
  "results"
]);
function extractCloudBuild(content, file, options = {}) {
  if (!mayContainKeys(content, ["name"])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => {
    const rootMap = asMap(root, scan.doc);
    if (!rootMap || options.byContent && !isBuildConfig(scan, rootMap)) return;
    for (const step of seqItems(getPath(root, ["steps"], scan.doc), scan.doc)) {
      const map = asMap(step, scan.doc);
      if (map)
        reportScalar(scan, getNode(map, "name", scan.doc), "cloudbuild", { resolve: substitutionResolver });
    }
  });
}
function isBuildConfig(scan, root) {
  if (!mapEntries(root, scan.doc).every(({ key }) => BUILD_KEYS.has(key))) return false;
  const steps = seqItems(getNode(root, "steps", scan.doc), scan.doc);
  return steps.length > 0 && steps.every((step) => {
    const map = asMap(step, scan.doc);
    return map !== void 0 && getNode(map, "name", scan.doc) !== void 0 && mapEntries(map, scan.doc).every(({ key }) => STEP_KEYS.has(key));
  });
}
var substitutionResolver = (text) => {
  const substitution = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.replaceAll("$$", ""));
  if (substitution) return { problem: `uses substitution $${substitution[1]}, set only when the build runs` };
  return literalOnly(text.replaceAll("$$", "$"));
};

// src/scan/compose/build.ts
import path5 from "node:path/posix";

// src/scan/dockerfile/expand.ts
var BUILDER_VARIABLES = /* @__PURE__ */ new Set([
  "BUILDPLATFORM",
  "BUILDOS",
  "BUILDARCH",
  "BUILDVARIANT",
  "TARGETPLATFORM",
  "TARGETOS",
  "TARGETARCH",
  "TARGETVARIANT",
  "TARGETSTAGE"
]);
var MAX_DEPTH = 16;
var MAX_EXPANDED_LENGTH = 4096;
var NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
function expandWord(text, scope, escapeChar) {
  const state = { text, i: 0, escapeChar, scope, failure: void 0, pieces: 0, whole: void 0 };
  const value = readWord(state, 0);
  if (state.failure) return { ok: false, ...state.failure };
  if (state.i < text.length)
    return { ok: false, variable: "", reason: 'unbalanced "}"', cause: 'unbalanced "}"' };
  return { ok: true, value, whole: state.pieces === 1 ? state.whole : void 0 };
}
function fail(state, variable, reason, cause = reason) {
  state.failure ??= { variable, reason, cause };
}
function readWord(state, depth) {
  const { text, escapeChar } = state;
  let out = "";
  let quote2 = "";
  while (state.i < text.length) {
    if (out.length > MAX_EXPANDED_LENGTH) {
      fail(state, "", `the value expands to more than ${MAX_EXPANDED_LENGTH} characters`);
      state.i = text.length;
      return "";
    }
    const char = text[state.i];
    if (quote2 === "'") {
      if (char === "'") quote2 = "";
      else out += char;
      state.i++;
    } else if (char === escapeChar) {
      out += text[state.i + 1] ?? escapeChar;
      state.i += 2;
      state.pieces += 2;
    } else if (char === '"' || char === "'" && quote2 === "") {
      quote2 = quote2 === char ? "" : char;
      state.i++;
    } else if (char === "$") {
      out += readDollar(state, depth);
    } else if (char === "}" && depth > 0 && quote2 === "") {
      return out;
    } else {
      out += char;
      state.i++;
      state.pieces += 2;
    }
  }
  if (out.length > MAX_EXPANDED_LENGTH) {
    fail(state, "", `the value expands to more than ${MAX_EXPANDED_LENGTH} characters`);
    return "";
  }
  return out;
}
function readDollar(state, depth) {
  const { text } = state;
  state.i++;
  const braced2 = text[state.i] === "{";
  if (braced2) state.i++;
  NAME.lastIndex = state.i;
  const match = NAME.exec(text);
  if (!match) {
    if (braced2) fail(state, "", `bad substitution in ${quoteText(text)}`);
    state.pieces += 2;
    return braced2 ? "" : "$";
  }
  const name = match[0];
  state.i += name.length;
  const binding = state.scope.get(name);
  if (!braced2) return lookup2(state, name, binding, depth);
  if (text[state.i] === "}") {
    state.i++;
    return lookup2(state, name, binding, depth);
  }
  return readModifier(state, name, binding, depth);
}
function lookup2(state, name, binding, depth) {
  if (binding?.value === void 0) {
    fail(state, name, unsetReason(name, binding), binding?.reason);
    return "";
  }
  if (depth === 0) {
    state.pieces++;
    state.whole = binding;
  } else state.pieces += 2;
  return binding.value;
}
function unsetReason(name, binding) {
  if (binding?.reason) return `variable ${name} cannot be resolved: ${binding.reason}`;
  if (binding) return `variable ${name} has no default value (it is set with --build-arg at build time)`;
  if (BUILDER_VARIABLES.has(name)) return `variable ${name} is set by the builder at build time`;
  return `variable ${name} is not declared by an ARG in scope`;
}
function readModifier(state, name, binding, depth) {
  const { text } = state;
  const colon = text[state.i] === ":";
  const operator = text[state.i + (colon ? 1 : 0)] ?? "";
  if (!"-+?".includes(operator) || operator === "") {
    fail(state, name, `unsupported expansion of ${name} in ${quoteText(text)}`);
    state.i = text.length;
    return "";
  }
  if (depth + 1 > MAX_DEPTH) {
    fail(state, name, `variable expansion nested deeper than ${MAX_DEPTH} levels`);
    state.i = text.length;
    return "";
  }
  state.i += colon ? 2 : 1;
  const operand = { ...state, failure: void 0, pieces: 0, whole: void 0 };
  const word = readWord(operand, depth + 1);
  state.i = operand.i + 1;
  if (operand.i >= text.length) fail(state, name, `missing "}" in ${quoteText(text)}`);
  const isSet2 = binding?.value !== void 0 && (!colon || binding.value !== "");
  const useOperand = operator === "-" ? !isSet2 : operator === "+" ? isSet2 : false;
  if (operator === "?" && !isSet2) fail(state, name, `variable ${name} must be set: ${quoteText(word)}`);
  if (useOperand) {
    if (operand.failure) fail(state, operand.failure.variable, operand.failure.reason, operand.failure.cause);
    state.pieces += 2;
    return word;
  }
  if (operator === "+") return "";
  return lookup2(state, name, binding, depth);
}

// src/scan/dockerfile/lines.ts
function indexLines(content) {
  const starts = [];
  const ends = [];
  let start = content.charCodeAt(0) === 65279 ? 1 : 0;
  for (; ; ) {
    const newline = content.indexOf("\n", start);
    if (newline < 0) {
      starts.push(start);
      ends.push(content.length);
      return { starts, ends };
    }
    starts.push(start);
    ends.push(newline > start && content.charCodeAt(newline - 1) === 13 ? newline - 1 : newline);
    start = newline + 1;
  }
}
function positionAt(index, offset) {
  const { starts } = index;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = low + high + 1 >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}

// src/scan/dockerfile/words.ts
var isSpace = (code) => code === 32 || code === 9 || code === 13;
function splitWords(text, from, escapeChar) {
  const words = [];
  const escapeCode = escapeChar.charCodeAt(0);
  let i = from;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    let quote2 = 0;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (quote2 === 0 && isSpace(code)) break;
      if (code === escapeCode && quote2 !== 39) i += 2;
      else {
        if (quote2 === 0 && (code === 34 || code === 39)) quote2 = code;
        else if (code === quote2) quote2 = 0;
        i++;
      }
    }
    if (i > text.length) i = text.length;
    words.push({ text: text.slice(start, i), start, end: i });
  }
  return words;
}
function readFlags(words, from) {
  const flags = [];
  let i = from;
  for (; i < words.length; i++) {
    const word = words[i];
    if (!word.text.startsWith("--")) break;
    if (word.text === "--") return { flags, next: i + 1 };
    const equals = word.text.indexOf("=");
    const name = (equals < 0 ? word.text.slice(2) : word.text.slice(2, equals)).toLowerCase();
    if (equals < 0) flags.push({ name, value: void 0, valueStart: -1, word });
    else flags.push({ name, value: word.text.slice(equals + 1), valueStart: word.start + equals + 1, word });
  }
  return { flags, next: i };
}
function splitOptions(value, start) {
  const pieces = [];
  let quote2 = 0;
  let from = 0;
  for (let i = 0; i <= value.length; i++) {
    const code = i < value.length ? value.charCodeAt(i) : 44;
    if (quote2 !== 0) {
      if (code === quote2) quote2 = 0;
      continue;
    }
    if (code === 34 || code === 39) quote2 = code;
    else if (code === 44) {
      pieces.push({ text: value.slice(from, i), start: start + from });
      from = i + 1;
    }
  }
  if (quote2 !== 0) pieces.push({ text: value.slice(from), start: start + from });
  return pieces;
}
function unquote(piece) {
  const { text } = piece;
  const first = text.charCodeAt(0);
  if (text.length >= 2 && (first === 34 || first === 39) && text.charCodeAt(text.length - 1) === first) {
    return { text: text.slice(1, -1), start: piece.start + 1 };
  }
  return piece;
}

// src/scan/dockerfile/lexer.ts
var DIRECTIVE = /^[ \t]*#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$/d;
var KEYWORDS = /* @__PURE__ */ new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR"
]);
var KNOWN_DIRECTIVES = /* @__PURE__ */ new Set(["syntax", "escape", "check"]);
var HEREDOC_KEYWORDS = /* @__PURE__ */ new Set(["RUN", "COPY", "ADD"]);
var HEREDOC = /^\d*<<(-?)(.*)$/s;
function lexDockerfile(content) {
  const lines = indexLines(content);
  const problems = [];
  const { directives, escapeChar } = readDirectives(content, lines, problems);
  const instructions = [];
  const count2 = lines.starts.length;
  let i = 0;
  while (i < count2) {
    if (isBlankOrComment(content, lines, i)) {
      i++;
      continue;
    }
    const { instruction, lastLine } = readInstruction(content, lines, i, escapeChar);
    i = lastLine + 1;
    const joined = joinedKeyword(content, instruction);
    if (joined) problems.push({ line: instruction.line, message: joined });
    if (instruction.keyword === "") continue;
    instructions.push(instruction);
    for (const heredoc of findHeredocs(instruction, escapeChar)) {
      const end = skipHeredoc(content, lines, i, heredoc);
      if (end < 0) {
        problems.push({
          line: instruction.line,
          message: `unterminated heredoc <<${quoteText(heredoc.name)}`
        });
        i = count2;
      } else i = end + 1;
    }
  }
  return { instructions, directives, escapeChar, lines, problems };
}
function readDirectives(content, lines, problems) {
  const directives = [];
  let escapeChar = "\\";
  for (let i = 0; i < lines.starts.length; i++) {
    const start = lines.starts[i];
    const match = DIRECTIVE.exec(content.slice(start, lines.ends[i]));
    if (!match) break;
    const name = match[1].toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name) || directives.some((d) => d.name === name)) break;
    const value = match[2];
    const valueStart = start + (match.indices?.[2]?.[0] ?? 0);
    directives.push({ name, value, start: valueStart, end: valueStart + value.length, line: i + 1 });
    if (name === "escape") {
      if (value === "\\" || value === "`") escapeChar = value;
      else
        problems.push({
          line: i + 1,
          message: `invalid escape directive ${quoteText(value)} (expected \\ or \`)`
        });
    }
  }
  return { directives, escapeChar };
}
function isBlankOrComment(content, lines, line) {
  const end = lines.ends[line];
  for (let p = lines.starts[line]; p < end; p++) {
    const code = content.charCodeAt(p);
    if (code === 32 || code === 9 || code === 13 || code === 12 || code === 11) continue;
    return code === 35;
  }
  return true;
}
function continuationAt(content, start, end, escapeChar) {
  let p = end - 1;
  while (p >= start && (content.charCodeAt(p) === 32 || content.charCodeAt(p) === 9)) p--;
  return p >= start && content[p] === escapeChar ? p : -1;
}
function readInstruction(content, lines, first, escapeChar) {
  const segments = [];
  const parts = [];
  let length = 0;
  let line = first;
  for (; ; ) {
    const start = lines.starts[line];
    const end = lines.ends[line];
    const escapeAt = continuationAt(content, start, end, escapeChar);
    const stop = escapeAt < 0 ? end : escapeAt;
    if (stop > start) {
      segments.push({ textStart: length, sourceStart: start, length: stop - start });
      parts.push(content.slice(start, stop));
      length += stop - start;
    }
    if (escapeAt < 0) break;
    let next = line + 1;
    while (next < lines.starts.length && isBlankOrComment(content, lines, next)) next++;
    if (next >= lines.starts.length) break;
    line = next;
  }
  const text = parts.join("");
  const words = leadingWord(text);
  return {
    instruction: {
      keyword: words.keyword.toUpperCase(),
      line: first + 1,
      text,
      argsStart: words.end,
      segments
    },
    lastLine: line
  };
}
function joinedKeyword(content, instruction) {
  const [first] = instruction.segments;
  if (KEYWORDS.has(instruction.keyword) || first === void 0 || instruction.segments.length < 2) return;
  const written = content.slice(first.sourceStart, first.sourceStart + first.length).trim();
  if (!/^[A-Za-z]+$/.test(written) || !KEYWORDS.has(written.toUpperCase())) return;
  const joined = /^\s*(\S+)/.exec(instruction.text)?.[1] ?? written;
  return `"${written}" is followed by a line continuation, so the next line joins the keyword into the unknown instruction ${quoteText(joined, 40)}, which BuildKit refuses; not read (put a space before the escape character)`;
}
function leadingWord(text) {
  const match = /^[ \t\f\v]*([A-Za-z]+)(?=\s|$)/.exec(text);
  if (!match) return { keyword: "", end: 0 };
  return { keyword: match[1], end: match[0].length };
}
function findHeredocs(instruction, escapeChar) {
  let from = instruction.argsStart;
  let keyword = instruction.keyword;
  if (keyword === "ONBUILD") {
    const trigger = leadingWord(instruction.text.slice(from));
    keyword = trigger.keyword.toUpperCase();
    from += trigger.end;
  }
  if (!HEREDOC_KEYWORDS.has(keyword) || !instruction.text.includes("<<", from)) return [];
  if (/^\s*\[.*\]\s*$/s.test(instruction.text.slice(from))) return [];
  const words = splitWords(instruction.text, from, escapeChar);
  const heredocs = [];
  for (let i = 0; i < words.length; i++) {
    const match = HEREDOC.exec(words[i].text);
    if (!match) continue;
    let rest = match[2];
    if (rest === "" && i + 1 < words.length) rest = words[++i].text;
    if (rest === "" || rest.includes("<")) continue;
    const name = heredocName(rest, escapeChar);
    if (name !== "") heredocs.push({ name, chomp: match[1] === "-" });
  }
  return heredocs;
}
function heredocName(word, escapeChar) {
  let name = "";
  for (let i = 0; i < word.length; i++) {
    const char = word[i];
    if (char === escapeChar && i + 1 < word.length) name += word[++i];
    else if (char !== '"' && char !== "'") name += char;
  }
  return name;
}
function skipHeredoc(content, lines, first, heredoc) {
  for (let i = first; i < lines.starts.length; i++) {
    let start = lines.starts[i];
    const end = lines.ends[i];
    if (heredoc.chomp) while (start < end && content.charCodeAt(start) === 9) start++;
    if (end - start === heredoc.name.length && content.startsWith(heredoc.name, start)) return i;
  }
  return -1;
}
function sourceOffset(instruction, index) {
  const { segments } = instruction;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = low + high + 1 >> 1;
    if (segments[mid].textStart <= index) low = mid;
    else high = mid - 1;
  }
  const segment = segments[low];
  return segment.sourceStart + (index - segment.textStart);
}
function sourceSpan(instruction, start, end) {
  return { start: sourceOffset(instruction, start), end: sourceOffset(instruction, end - 1) + 1 };
}

// src/scan/dockerfile/build-args.ts
var STAGE_NAME = /\s[Aa][Ss]\s+(\S+)\s*$/;
var RecordingScope = class extends Map {
  used = [];
  get(name) {
    this.used.push(name);
    return super.get(name);
  }
};
function imagesWithBuildArgs(content, buildArgs) {
  const lexed = lexDockerfile(content);
  const globals = /* @__PURE__ */ new Map();
  const argsOf = /* @__PURE__ */ new Map();
  const overrides = /* @__PURE__ */ new Map();
  const stages = /* @__PURE__ */ new Set();
  const images = [];
  let inStage = false;
  for (const instruction of lexed.instructions) {
    if (instruction.keyword === "ARG" && !inStage) {
      declareArgs(instruction, lexed.escapeChar, { globals, argsOf, overrides, buildArgs });
    } else if (instruction.keyword === "FROM") {
      inStage = true;
      const image = fromImage(instruction, lexed.escapeChar, { globals, argsOf, overrides, stages });
      if (image) images.push(image);
      const name = STAGE_NAME.exec(instruction.text.slice(instruction.argsStart))?.[1]?.toLowerCase();
      if (name !== void 0) stages.add(name);
    }
  }
  return images;
}
function declareArgs(instruction, escapeChar, state) {
  for (const word of splitWords(instruction.text, instruction.argsStart, escapeChar)) {
    const equals = word.text.indexOf("=");
    const name = equals < 0 ? word.text : word.text.slice(0, equals);
    const given = state.buildArgs.get(name);
    if (given !== void 0) {
      const binding = { value: given, origin: void 0 };
      state.globals.set(name, binding);
      state.overrides.set(binding, name);
      state.argsOf.set(name, [name]);
      continue;
    }
    if (equals < 0) {
      state.globals.set(name, { value: void 0, origin: void 0 });
      state.argsOf.set(name, []);
      continue;
    }
    const scope = new RecordingScope(state.globals);
    const expansion = expandWord(word.text.slice(equals + 1), scope, escapeChar);
    state.globals.set(name, {
      value: expansion.ok ? expansion.value : void 0,
      origin: void 0,
      ...expansion.ok ? {} : { reason: expansion.cause }
    });
    state.argsOf.set(name, usedArgs(scope.used, state.argsOf));
  }
}
function fromImage(instruction, escapeChar, state) {
  const words = splitWords(instruction.text, instruction.argsStart, escapeChar);
  const word = words[readFlags(words, 0).next];
  if (word === void 0 || !word.text.includes("$")) return void 0;
  const scope = new RecordingScope(state.globals);
  const expansion = expandWord(word.text, scope, escapeChar);
  const args = usedArgs(scope.used, state.argsOf);
  if (!expansion.ok || args.length === 0) return void 0;
  const lower = expansion.value.toLowerCase();
  if (lower === "scratch" || state.stages.has(lower)) return void 0;
  const parsed = tryParseReference(expansion.value);
  const image = parsed.ok ? { reference: parsed.reference } : { problem: parsed.reason };
  const wholeArg = expansion.whole ? state.overrides.get(expansion.whole) : void 0;
  const found = { line: instruction.line, text: expansion.value, image, args };
  if (wholeArg !== void 0) found.wholeArg = wholeArg;
  return found;
}
function usedArgs(variables, argsOf) {
  const args = /* @__PURE__ */ new Set();
  for (const variable of variables) for (const arg of argsOf.get(variable) ?? []) args.add(arg);
  return [...args];
}

// src/scan/compose/interpolate.ts
var MAX_NESTING = 16;
var MAX_INTERPOLATED_LENGTH = 4096;
var NAME2 = /^[A-Za-z_][A-Za-z0-9_]*/;
var nothingSet = () => void 0;
function interpolateCompose(text, lookup3 = nothingSet) {
  return interpolate(text, lookup3, 0);
}
function interpolate(text, lookup3, depth) {
  let value = "";
  let i = 0;
  let whole;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) break;
    value += text.slice(i, dollar);
    const next = text[dollar + 1];
    let piece;
    if (next === "$") piece = { ok: true, value: "$", end: dollar + 2 };
    else if (next === "{") piece = braced(text, dollar, lookup3, depth);
    else piece = unbraced(text, dollar, lookup3);
    if (!piece.ok) return piece;
    if (dollar === 0 && piece.end === text.length) whole = piece.fromVariable;
    value += piece.value;
    if (value.length > MAX_INTERPOLATED_LENGTH) return tooLong(text);
    i = piece.end;
  }
  value += text.slice(i);
  if (value.length > MAX_INTERPOLATED_LENGTH) return tooLong(text);
  return whole === void 0 ? { ok: true, value } : { ok: true, value, whole };
}
function unbraced(text, dollar, lookup3) {
  const name = NAME2.exec(text.slice(dollar + 1))?.[0];
  if (!name) return { ok: true, value: "$", end: dollar + 1 };
  const found = lookup3(name);
  if (found === void 0) return { ok: false, variable: name };
  if ("problem" in found) return { ok: false, variable: name, reason: found.problem };
  return { ok: true, value: found.value, end: dollar + 1 + name.length, fromVariable: name };
}
function braced(text, dollar, lookup3, depth) {
  const close = matchingBrace(text, dollar + 2);
  if (close < 0) return { ok: false, variable: text.slice(dollar, dollar + 80), reason: 'missing "}"' };
  const body = text.slice(dollar + 2, close);
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!match) return { ok: false, variable: body.slice(0, 80), reason: "not a variable name" };
  const [, name = "", operator, operand = ""] = match;
  const found = lookup3(name);
  if (found !== void 0 && "problem" in found) return { ok: false, variable: name, reason: found.problem };
  const set = found?.value;
  const end = close + 1;
  const use = (value) => ({ ok: true, value, end, fromVariable: name });
  const operandValue = () => {
    if (depth >= MAX_NESTING) return { ok: false, variable: name, reason: "defaults nested too deep" };
    const inner = interpolate(operand, lookup3, depth + 1);
    return inner.ok ? { ok: true, value: inner.value, end } : inner;
  };
  switch (operator) {
    case void 0:
      return set === void 0 ? { ok: false, variable: name } : use(set);
    case ":-":
      return set ? use(set) : operandValue();
    case "-":
      return set !== void 0 ? use(set) : operandValue();
    case ":?":
      return set ? use(set) : { ok: false, variable: name, reason: `required: ${operand.slice(0, 80)}` };
    case "?":
      return set !== void 0 ? use(set) : { ok: false, variable: name, reason: `required: ${operand.slice(0, 80)}` };
    case ":+":
      return set === void 0 ? { ok: false, variable: name } : set ? operandValue() : { ok: true, value: "", end };
    default:
      return set === void 0 ? { ok: false, variable: name } : operandValue();
  }
}
function tooLong(text) {
  return {
    ok: false,
    variable: text.slice(0, 80),
    reason: `the value expands to more than ${MAX_INTERPOLATED_LENGTH} characters`
  };
}
function matchingBrace(text, from) {
  let open = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      open++;
      i++;
    } else if (text[i] === "}" && --open === 0) {
      return i;
    }
  }
  return -1;
}

// src/scan/compose/env.ts
import path4 from "node:path/posix";

// src/scan/compose/dotenv.ts
function parseDotenv(content, lookup3 = () => void 0) {
  const text = content.charCodeAt(0) === 65279 ? content.slice(1) : content;
  const offset = text === content ? 0 : 1;
  const lines = createLineIndex(content);
  const entries = /* @__PURE__ */ new Map();
  const own = (name) => lookup3(name) ?? entries.get(name)?.value;
  let i = 0;
  for (; ; ) {
    i = statementStart(text, i);
    if (i < 0) return { entries };
    const key = readKey(text, i);
    const line = lines.positionAt(i + offset).line;
    if ("error" in key) return { entries, error: { line, message: key.error } };
    if (key.inherited) {
      i = key.end;
      continue;
    }
    const value = readValue(text, key.end, own);
    if ("error" in value) return { entries, error: { line, message: value.error } };
    const shift = (span) => ({
      start: span.start + offset,
      end: span.end + offset
    });
    const entry = { value: value.value, line, text: shift(value.text) };
    if (value.literal) entry.literal = shift(value.text);
    entries.set(key.name, entry);
    i = value.end;
  }
}
function isBlank(char) {
  return char === " " || char === "	" || char === "\v" || char === "\f" || char === "\r" || char === "\x85" || char === "\xA0";
}
function isSpace2(char) {
  return /[\s\u0085]/.test(char) && char !== "\uFEFF";
}
function statementStart(text, from) {
  let i = from;
  for (; ; ) {
    while (i < text.length && isSpace2(text[i])) i++;
    if (i >= text.length) return -1;
    if (text[i] !== "#") return i;
    const newline = text.indexOf("\n", i);
    if (newline < 0) return -1;
    i = newline;
  }
}
function readKey(text, start) {
  let i = start;
  if (/^export[\t\n\f\r ]/.test(text.slice(i, i + 7))) {
    i += "export".length;
    while (/[\t\n\f\r ]/.test(text[i] ?? "")) i++;
    while (isBlank(text[i])) i++;
  }
  const keyStart = i;
  for (; i < text.length; i++) {
    const char = text[i];
    if (isBlank(char)) continue;
    if (char === "=" || char === ":" || char === "\n") {
      const name = text.slice(keyStart, i).trimEnd();
      if (/\s/.test(name)) return { error: "a key cannot contain a space" };
      let end = i + 1;
      while (isBlank(text[end])) end++;
      return { name, end, inherited: char === "\n" };
    }
    if (!/[\p{L}\p{N}_.\-[\]]/u.test(char)) {
      return { error: `unexpected character ${quoteText(char)} in a variable name` };
    }
  }
  return { name: "", end: text.length, inherited: true };
}
function readValue(text, start, lookup3) {
  const quote2 = text[start];
  if (quote2 !== '"' && quote2 !== "'") return unquoted(text, start, lookup3);
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== quote2 || text[i - 1] === "\\") continue;
    const raw = text.slice(start + 1, i);
    const span = { start: start + 1, end: i };
    if (quote2 === "'") return { value: { value: raw }, text: span, literal: true, end: i + 1 };
    const value = resolve(expandEscapes(raw), lookup3);
    return { value, text: span, literal: !/[\\$]/.test(raw), end: i + 1 };
  }
  return { error: "unterminated quoted value" };
}
function unquoted(text, start, lookup3) {
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  const comment = line.indexOf(" #");
  const raw = (comment < 0 ? line : line.slice(0, comment)).replace(/[\s\u0085]+$/, "");
  const span = { start, end: start + raw.length };
  return { value: resolve(raw, lookup3), text: span, literal: !raw.includes("$"), end };
}
function resolve(raw, lookup3) {
  const result = interpolateCompose(raw, lookup3);
  if (result.ok) return { value: result.value };
  return { problem: result.reason ?? `needs variable ${result.variable}, which is not set here` };
}
function expandEscapes(raw) {
  const simple = {
    a: "\x07",
    b: "\b",
    c: "\\c",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "	",
    v: "\v",
    '"': '"',
    "\\": "\\",
    $: "$$"
  };
  return raw.replace(/\\(?:([abcfnrtv$"\\])|0(\d{0,3}))/g, (match, char, digits) => {
    if (char !== void 0) return simple[char] ?? match;
    if (digits === void 0 || !/^[0-7]{3}$/.test(digits)) return match;
    const code = Number.parseInt(digits, 8);
    return code <= 255 ? String.fromCharCode(code) : match;
  });
}

// src/scan/compose/env.ts
function envErrorText(error) {
  return `compose cannot read ${error.file} (line ${error.line}: ${error.message})`;
}
var EMPTY_ENV = { files: [], lookup: () => void 0, source: () => void 0 };
var DOTENV = ".env";
function composeEnvFor(file, project) {
  if (!project) return EMPTY_ENV;
  const slash = file.lastIndexOf("/");
  const paths = project.envFiles?.length ? project.envFiles : [slash < 0 ? DOTENV : `${file.slice(0, slash)}/${DOTENV}`];
  const texts = [];
  for (const envPath of paths) {
    const content = project.read(envPath);
    if (content !== void 0) texts.push({ file: path4.normalize(envPath), content });
  }
  return readComposeEnv(texts);
}
function readComposeEnv(texts) {
  if (texts.length === 0) return EMPTY_ENV;
  const merged = /* @__PURE__ */ new Map();
  const files = [];
  for (const text of texts) {
    const env = { ...text, lines: createLineIndex(text.content) };
    files.push(env);
    const earlier = (name) => merged.get(name)?.entry.value;
    const dotenv = parseDotenv(text.content, earlier);
    if (dotenv.error) {
      const error = { file: text.file, ...dotenv.error };
      const refused = { problem: envErrorText(error) };
      return { files, lookup: () => refused, source: () => void 0, error };
    }
    for (const [name, entry] of dotenv.entries) merged.set(name, { env, entry });
  }
  return {
    files,
    lookup: (name) => merged.get(name)?.entry.value,
    source: (name) => merged.get(name)
  };
}

// src/scan/compose/parts.ts
var INNER = {
  plain: "plain-inner",
  double: "double-inner",
  single: "single-inner"
};
function narrowTarget(content, scalar, reference) {
  const style = INNER[scalar.style];
  const value = scalar.value;
  if (style === void 0 || !value.includes("$")) return void 0;
  const from = scalar.style === "plain" ? scalar.start : scalar.start + 1;
  if (content.slice(from, from + value.length) !== value) return void 0;
  const whole = wholeDefault(value);
  if (whole) {
    const { operand } = whole;
    const start = from + value.length - 1 - operand.length;
    const span2 = { start, end: start + operand.length, style, value: operand };
    return isSameImage(operand, reference) ? { type: "scalar", scalar: span2, prefix: "" } : void 0;
  }
  const name = nameBeforeVariableTag(value);
  if (name === void 0 || !sameRepository(name, reference)) return void 0;
  const span = { start: from, end: from + name.length, style, value: name };
  return { type: "name", scalar: span, variables: variablesIn(value.slice(name.length)) };
}
function isSameImage(text, reference) {
  const parsed = tryParseReference(text);
  return parsed.ok && formatReference(parsed.reference) === formatReference(reference);
}

// src/scan/compose/report.ts
function reportComposeValue(scan, value) {
  const { span, env } = value;
  const text = span.value.trim();
  if (text === "") return;
  const line = scan.lines.positionAt(span.start).line;
  const result = interpolateCompose(text, env.lookup);
  if (!result.ok) {
    diagnose(scan, line, "warning", `image ${quote(text)} ${unresolved(result, env)}`);
    return;
  }
  const reference = judge(scan, line, result.value);
  if (!reference) return;
  const source = result.whole === void 0 ? void 0 : env.source(result.whole);
  const occurrence = source ? envOccurrence(source, value.kind, reference) : composeOccurrence(scan, span, value.kind, reference);
  addOnce(scan, occurrence);
}
function judge(scan, line, text) {
  if (text.includes("{{")) {
    diagnose(scan, line, "warning", `image ${quote(text)} contains ${templateIn("{{")}`);
    return void 0;
  }
  const notMirrored = notMirroredReason(text);
  if (notMirrored) {
    diagnose(scan, line, "notice", `image ${quote(text)} ${notMirrored}`);
    return void 0;
  }
  const parsed = tryParseReference(text);
  if (!parsed.ok) {
    diagnose(scan, line, "warning", `invalid image reference ${quote(text)}: ${parsed.reason}`);
    return void 0;
  }
  return parsed.reference;
}
function unresolved(result, env) {
  if (env.error) return `needs variable ${result.variable}, but ${envErrorText(env.error)}`;
  if (result.reason) return `cannot be resolved: variable ${result.variable}: ${result.reason}`;
  const where = env.files.length > 0 ? ` and ${env.files.map((f) => f.file).join(", ")} does not set it` : "";
  return `needs variable ${result.variable}, which has no default here${where}`;
}
function envOccurrence(source, kind, reference, reason = `the value in ${source.env.file} is built from variables or escapes, which a rewrite would drop`) {
  const { env, entry } = source;
  const at = entry.literal ?? entry.text;
  const raw = env.content.slice(at.start, at.end);
  const target = entry.literal ? { type: "scalar", scalar: { ...at, style: "dotenv", value: raw }, prefix: "" } : { type: "none", reason };
  return {
    file: env.file,
    kind,
    start: env.lines.positionAt(at.start),
    end: env.lines.positionAt(at.end),
    raw,
    reference,
    target
  };
}
function composeOccurrence(scan, span, kind, reference) {
  let target = { type: "scalar", scalar: span, prefix: "" };
  const narrowed = span.style.endsWith("-inner") ? void 0 : narrowTarget(scan.content, span, reference);
  if (narrowed && (narrowed.type === "scalar" || narrowed.type === "name")) target = narrowed;
  const at = target.type === "scalar" || target.type === "name" ? target.scalar : span;
  return {
    file: scan.file,
    kind,
    start: scan.lines.positionAt(at.start),
    end: scan.lines.positionAt(at.end),
    raw: scan.content.slice(at.start, at.end),
    reference,
    target
  };
}
function addOnce(scan, occurrence) {
  const same = scan.occurrences.some(
    (o) => o.file === occurrence.file && o.start.line === occurrence.start.line && o.start.column === occurrence.start.column && o.end.line === occurrence.end.line && o.end.column === occurrence.end.column && o.reference.registry === occurrence.reference.registry && o.reference.repository === occurrence.reference.repository && o.reference.tag === occurrence.reference.tag && o.reference.digest === occurrence.reference.digest
  );
  if (!same) scan.occurrences.push(occurrence);
}

// src/scan/compose/build.ts
var INNER2 = {
  plain: "plain-inner",
  double: "double-inner",
  single: "single-inner"
};
function reportBuild(scan, service, env) {
  declareOutput(scan, service, env);
  const project = scan.context?.project;
  const build = asMap(service.build, scan.doc);
  if (!project || !build || !lookup(build, "args", scan.doc)) return;
  const args = readArgs(scan, build, env);
  if (args.size === 0) return;
  const dockerfile = dockerfilePath(scan, service.build, env);
  const content = dockerfile === void 0 ? void 0 : project.read(dockerfile);
  if (dockerfile === void 0 || content === void 0) return;
  const values = new Map([...args].map(([name, arg]) => [name, arg.value]));
  for (const image of imagesWithBuildArgs(content, values)) {
    reportArgImage(scan, { image, args, dockerfile, env });
  }
}
function declareOutput(scan, service, env) {
  const node = getNode(service.map, "image", scan.doc);
  const span = isScalar2(node) ? scalarSpan(node, scan.content) : void 0;
  if (!node || !span || scan.seen.has(span.start)) return;
  scan.seen.add(span.start);
  const text = span.value.trim();
  const line = lineOf(scan, node);
  const resolved = interpolateCompose(text, env.lookup);
  const parsed = resolved.ok ? tryParseReference(resolved.value) : void 0;
  if (parsed?.ok) {
    const scope = resolved.ok && !resolved.value.includes("/") ? "tree" : "file";
    const via = `compose services.${service.name}.build`;
    const name = repositoryName(parsed.reference);
    const { tag } = parsed.reference;
    const tagged = tag !== void 0 && tag !== "latest" ? { tag } : {};
    scan.buildOutputs.push({ name, ...tagged, file: scan.file, line, via, scope });
  }
  const message = `image ${quote(text)} names the image that services.${service.name}.build builds; not mirrored`;
  diagnose(scan, line, "notice", message);
}
function dockerfilePath(scan, build, env) {
  const node = resolveNode(build, scan.doc);
  const map = asMap(node, scan.doc);
  const contextText = map ? getText(map, "context", scan.doc) ?? "." : isScalar2(node) ? String(node.value) : ".";
  if (map && getNode(map, "dockerfile_inline", scan.doc)) return void 0;
  const context = interpolateCompose(contextText, env.lookup);
  const file = interpolateCompose((map && getText(map, "dockerfile", scan.doc)) ?? "Dockerfile", env.lookup);
  if (!context.ok || !file.ok) return void 0;
  return path5.normalize(path5.join(path5.dirname(scan.file), context.value, file.value));
}
function readArgs(scan, build, env) {
  const args = /* @__PURE__ */ new Map();
  const node = build && getNode(build, "args", scan.doc);
  const map = asMap(node, scan.doc);
  const entries = map ? mapEntries(map, scan.doc).map(({ key, value }) => ({ name: key, node: resolveNode(value, scan.doc) })) : seqItems(node, scan.doc).flatMap((item) => listEntry(item));
  for (const entry of entries) {
    const arg = readArg(scan, entry, env);
    if (arg) args.set(arg.name, arg);
  }
  return args;
}
function listEntry(item) {
  if (!isScalar2(item) || typeof item.value !== "string") return [];
  const equals = item.value.indexOf("=");
  return [
    { name: equals < 0 ? item.value.trim() : item.value.slice(0, equals).trim(), node: item, inner: true }
  ];
}
function readArg(scan, entry, env) {
  const { name } = entry;
  const span = isScalar2(entry.node) ? scalarSpan(entry.node, scan.content) : void 0;
  const text = span && entry.inner ? afterEquals(scan.content, span) : span;
  if (!text) {
    const found = env.lookup(name);
    return found && "value" in found ? { name, value: found.value, fromEnv: name } : void 0;
  }
  const value = text === span && entry.inner ? text.value.slice(text.value.indexOf("=") + 1) : text.value;
  const resolved = interpolateCompose(value, env.lookup);
  if (!resolved.ok) return void 0;
  return { name, value: resolved.value, span: text, exact: !entry.inner || text !== span };
}
function afterEquals(content, span) {
  const equals = span.value.indexOf("=");
  const style = INNER2[span.style];
  if (equals < 0) return void 0;
  const from = span.style === "plain" ? span.start : span.start + 1;
  if (!style || content.slice(from, from + span.value.length) !== span.value) return span;
  const value = span.value.slice(equals + 1);
  return { start: from + equals + 1, end: from + equals + 1 + value.length, style, value };
}
function reportArgImage(scan, { image, args, dockerfile, env }) {
  const arg = args.get(image.wholeArg ?? image.args[0] ?? "");
  if (!arg) return;
  const line = arg.span ? scan.lines.positionAt(arg.span.start).line : 0;
  if ("problem" in image.image) {
    const message = `build arg ${arg.name} makes the FROM of ${dockerfile}:${image.line} ${quote(image.text)}: ${image.image.problem}`;
    diagnose(scan, line, "warning", message);
    return;
  }
  const kind = "compose-build-arg";
  if (image.wholeArg !== void 0 && arg.span && arg.exact) {
    reportComposeValue(scan, { span: arg.span, kind, env });
    return;
  }
  const reference = judge(scan, line, image.text);
  if (!reference) return;
  const reason = `the image is the FROM of ${dockerfile}:${image.line} with build arg ${arg.name}; a rewrite changes the Dockerfile's own name`;
  const variable = arg.fromEnv ?? (arg.span && wholeVariable(arg.span.value, env));
  const source = variable === void 0 ? void 0 : env.source(variable);
  if (source) {
    const occurrence = envOccurrence(source, kind, reference, reason);
    if (image.wholeArg === void 0) occurrence.target = { type: "none", reason };
    addOnce(scan, occurrence);
    return;
  }
  if (!arg.span) return;
  addOnce(scan, {
    file: scan.file,
    kind,
    start: scan.lines.positionAt(arg.span.start),
    end: scan.lines.positionAt(arg.span.end),
    raw: scan.content.slice(arg.span.start, arg.span.end),
    reference,
    target: { type: "none", reason }
  });
}
function wholeVariable(text, env) {
  const resolved = interpolateCompose(text.trim(), env.lookup);
  return resolved.ok ? resolved.whole : void 0;
}

// src/scan/compose/extract.ts
function extractCompose(content, file, context, options = {}) {
  if (!mayContainKeys(content, ["image", "build"])) return { occurrences: [], diagnostics: [] };
  const env = options.env ?? composeEnvFor(file, context?.project);
  const visit = (scan, root) => {
    const services = asMap(getPath(root, ["services"], scan.doc), scan.doc);
    if (!services) return;
    for (const { key, value } of mapEntries(services, scan.doc)) {
      const service = asMap(value, scan.doc);
      if (!service) continue;
      const build = lookup(service, "build", scan.doc);
      if (build) reportBuild(scan, { name: key, map: service, build: build.value }, env);
      else reportImage(scan, getNode(service, "image", scan.doc), env);
    }
  };
  return scanYaml(content, file, visit, context ? { context } : {});
}
function reportImage(scan, value, env) {
  const span = takeScalarSpan(scan, value)?.span;
  if (!span) return;
  reportComposeValue(scan, { span, kind: "compose", env });
}

// src/scan/helm/chart.ts
import path6 from "node:path/posix";
var MAX_LEVELS_UP = 3;
var charts = /* @__PURE__ */ new WeakMap();
function chartOf(file, project) {
  if (!project) return void 0;
  const charts2 = chartDirectories(project);
  if (charts2.size === 0) return void 0;
  let directory = path6.dirname(file);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    if (charts2.has(directory)) {
      const below = path6.relative(directory, path6.dirname(file)).split("/")[0];
      if (below === "templates" || below === "crds" || below === "charts") return void 0;
      return chartAt(directory, project);
    }
    if (directory === "." || directory === "" || directory.startsWith("..")) return void 0;
    directory = path6.dirname(directory);
  }
  return void 0;
}
var directories = /* @__PURE__ */ new WeakMap();
function chartDirectories(project) {
  let found = directories.get(project);
  if (!found) {
    found = /* @__PURE__ */ new Set();
    for (const file of project.listUnder(".")) {
      if (file === "Chart.yaml" || file.endsWith("/Chart.yaml")) found.add(path6.dirname(file));
    }
    directories.set(project, found);
  }
  return found;
}
function chartAt(directory, project) {
  let cache = charts.get(project);
  if (!cache) {
    cache = /* @__PURE__ */ new Map();
    charts.set(project, cache);
  }
  if (cache.has(directory)) return cache.get(directory);
  const info = {
    directory,
    appVersion: appVersionOf(project.read(path6.join(directory, "Chart.yaml")) ?? ""),
    templates: templatesOf(directory, project)
  };
  cache.set(directory, info);
  return info;
}
function appVersionOf(chartYaml) {
  const { documents } = parseYamlStream(chartYaml, "Chart.yaml");
  const root = documents[0]?.contents;
  if (!documents[0] || !isMap2(root)) return void 0;
  const node = getNode(root, "appVersion", documents[0]);
  const text = isScalar2(node) ? scalarText(node)?.trim() : void 0;
  return text ? text : void 0;
}
function templatesOf(directory, project) {
  const files = project.listUnder(path6.join(directory, "templates"));
  return files.map((file) => project.read(file) ?? "").join("\n");
}
function defaultTag(chart) {
  if (!chart.appVersion) return void 0;
  if (chart.templates !== "" && !chart.templates.includes(".Chart.AppVersion")) return void 0;
  const prefixed = /printf\s+"v%s"\s+\.Chart\.AppVersion|\(\s*print\s+"v"\s+\.Chart\.AppVersion/.test(
    chart.templates
  );
  return prefixed && !chart.appVersion.startsWith("v") ? `v${chart.appVersion}` : chart.appVersion;
}
function templateDefault(chart, valuesPath) {
  if (chart.templates === "" || valuesPath.some((key) => !/^[A-Za-z0-9_]+$/.test(key))) return void 0;
  const reference = `\\.Values\\.${valuesPath.join("\\.")}`;
  return new RegExp(`${reference}\\s*\\|\\s*default\\s+"([^"{}\\\\]*)"`).exec(chart.templates)?.[1];
}
function isPrefixInTemplates(chart, valuesPath) {
  if (chart.templates === "" || valuesPath.some((key) => !/^[A-Za-z0-9_]+$/.test(key))) return false;
  const reference = `\\.Values\\.${valuesPath.join("\\.")}`;
  return new RegExp(`${reference}\\s*(?:\\|[^}]*)?-?\\}\\}/`).test(chart.templates);
}

// src/scan/yaml/image-block.ts
var REPOSITORY_KEYS = ["repository", "repo", "image", "name"];
var SOURCE_LOCATION = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)\/)/i;
function readImageBlock(scan, map, options = {}) {
  const repositoryKey = REPOSITORY_KEYS.find((key) => {
    if (key === "name" && !options.allowName) return false;
    const node = getNode(map, key, scan.doc);
    return isScalar2(node) && typeof node.value === "string" && node.value.trim() !== "" && !SOURCE_LOCATION.test(node.value.trim());
  });
  if (repositoryKey === void 0) return void 0;
  const block = { mapping: map, fields: {}, keys: {} };
  const wanted = [
    ["registry", "registry"],
    ["repository", repositoryKey],
    ["tag", "tag"],
    ["digest", "digest"]
  ];
  for (const [field, key] of wanted) {
    const span = partSpan(scan, map, key, options);
    if (span === "templated") return void 0;
    if (!span) continue;
    block.fields[field] = span;
    if (key !== field) block.keys[field] = key;
  }
  if (!block.fields.digest) {
    const sha = partSpan(scan, map, "sha", options);
    if (sha === "templated") return void 0;
    const hex = sha?.value.trim();
    if (hex) block.bareSha = hex.includes(":") ? hex : `sha256:${hex}`;
  }
  return block;
}
function partSpan(scan, map, key, options) {
  const node = getNode(map, key, scan.doc);
  const span = isScalar2(node) ? scalarSpan(node, scan.content) : void 0;
  if (!node || !span) return void 0;
  const template = templateIn(span.value);
  if (!template) return span;
  if (options.diagnose !== false) {
    const message = `${key} ${quote(span.value)} contains ${template}, resolved only at deploy time`;
    diagnose(scan, lineOf(scan, node), "warning", message);
  }
  return "templated";
}
function partValue(block, field) {
  const value = block.fields[field]?.value.trim();
  return value ? value : void 0;
}
function hasTag(name) {
  return name.lastIndexOf(":") > name.lastIndexOf("/");
}
function blockReference(block, options = {}) {
  const repository = partValue(block, "repository");
  if (!repository) return void 0;
  const registry = options.registryOverride ?? partValue(block, "registry");
  const name = registry ? `${registry.replace(/\/+$/, "")}/${repository}` : repository;
  const digest = partValue(block, "digest") ?? block.bareSha;
  const tag = partValue(block, "tag") ?? (digest || hasTag(name) ? void 0 : options.defaultTag);
  if (!tag && !digest && !hasTag(name)) return void 0;
  return name + (tag ? `:${tag}` : "") + (digest ? `@${digest}` : "");
}

// src/scan/helm/extract.ts
var MAX_VALUES_DEPTH = 64;
function extractHelmValues(content, file, context) {
  if (!mayContainKeys(content, ["image", "Image", "repository"])) return { occurrences: [], diagnostics: [] };
  const chart = chartOf(file, context?.project);
  const visit = (scan, root) => {
    const walk3 = { scan, chart, registryOverride: globalRegistry(scan, root) };
    walkValues(walk3, root, { depth: 0, path: [], inImage: false });
  };
  return scanYaml(content, file, visit, context ? { context } : {});
}
function globalRegistry(scan, root) {
  const node = getPath(root, ["global", "imageRegistry"], scan.doc);
  const value = isScalar2(node) && typeof node.value === "string" ? node.value.trim() : "";
  return value === "" ? void 0 : value;
}
function walkValues(walk3, node, place) {
  const { scan } = walk3;
  if (place.depth > MAX_VALUES_DEPTH) {
    const message = `values nested deeper than ${MAX_VALUES_DEPTH} levels are not scanned`;
    diagnose(scan, lineOf(scan, node), "warning", message);
    return;
  }
  if (isSeq2(node)) {
    const inner = { depth: place.depth + 1, path: void 0, inImage: place.inImage };
    for (const item of node.items) if (isMap2(item) || isSeq2(item)) walkValues(walk3, item, inner);
    return;
  }
  if (!isMap2(node)) return;
  for (const { key, value } of mapEntries(node, scan.doc)) {
    const path9 = place.path && [...place.path, key];
    const imageKey = isImageKey(key);
    if (imageKey && reportImageValue(walk3, { key, value, parent: node, path: path9 })) continue;
    const map = isMap2(value) ? value : void 0;
    if (map && !imageKey && (place.inImage || isRepositoryAndTag(walk3, key, map)) && reportBlock(walk3, map, path9, place.inImage))
      continue;
    if (isMap2(value) || isSeq2(value)) {
      walkValues(walk3, value, { depth: place.depth + 1, path: path9, inImage: place.inImage || imageKey });
    }
  }
}
function isImageKey(key) {
  return key === "image" || key === "images" || /[a-z0-9]Image$/.test(key);
}
var CONTAINER_KEY = /container|sidecar/i;
function isRepositoryAndTag(walk3, key, map) {
  const doc = walk3.scan.doc;
  const repository = lookup(map, "repository", doc);
  if (!repository || !(lookup(map, "tag", doc) || lookup(map, "digest", doc))) return false;
  if (CONTAINER_KEY.test(key) || ["registry", "digest", "pullPolicy"].some((k) => lookup(map, k, doc)))
    return true;
  const node = resolveNode(repository.value, doc);
  return isScalar2(node) && typeof node.value === "string" && node.value.includes("/");
}
function reportImageValue(walk3, entry) {
  const { scan } = walk3;
  const node = resolveNode(entry.value, scan.doc);
  if (isMap2(node)) return reportBlock(walk3, node, entry.path, true);
  if (!isScalar2(node) || entry.key === "images") return false;
  if (entry.key !== "image") {
    const text = typeof node.value === "string" ? node.value.trim() : "";
    if (!text.includes("@") && !hasTag(text)) return false;
  }
  if (entry.key === "image" && reportImageWithTagKey(walk3, node, entry.parent)) return true;
  reportScalar(scan, node, "helm");
  return true;
}
function reportImageWithTagKey(walk3, node, parent) {
  const { scan } = walk3;
  const image = scalarSpan(node, scan.content);
  const tagNode = getNode(parent, "imageTag", scan.doc);
  const tag = isScalar2(tagNode) ? scalarSpan(tagNode, scan.content) : void 0;
  if (!image || !tag || hasTag(image.value.trim()) || image.value.includes("@") || tag.value.trim() === "")
    return false;
  if (scan.seen.has(image.start)) return true;
  const text = `${image.value.trim()}:${tag.value.trim()}`;
  const fields = { repository: image, tag };
  const keys = { repository: "image", tag: "imageTag" };
  reportFields(scan, { kind: "helm", fields, main: image, mapping: parent, text, keys });
  return true;
}
function reportBlock(walk3, map, path9, underImageKey) {
  const { scan, chart } = walk3;
  const block = readImageBlock(scan, map, {
    allowName: underImageKey && hasTagOrRegistry(map, walk3),
    diagnose: underImageKey
  });
  const repository = block?.fields.repository;
  if (!block || !repository) return false;
  if (scan.seen.has(repository.start)) return true;
  const line = scan.lines.positionAt(repository.start).line;
  const repositoryKey = block.keys.repository ?? "repository";
  if (chart && path9 && isPrefixInTemplates(chart, [...path9, repositoryKey])) {
    scan.seen.add(repository.start);
    const message = `${quote(repository.value.trim())} is a prefix the chart's templates append image names to; not an image`;
    diagnose(scan, line, "notice", message);
    return true;
  }
  const tag = chart ? defaultTag(chart) : void 0;
  const options = {
    ...walk3.registryOverride ? { registryOverride: walk3.registryOverride } : {},
    ...tag ? { defaultTag: tag } : {}
  };
  const text = blockReference(block, options);
  if (text === void 0) {
    scan.seen.add(repository.start);
    diagnose(
      scan,
      line,
      "notice",
      `image ${quote(repository.value.trim())} has no tag; ${noTagReason(chart, path9)}`
    );
    return true;
  }
  reportFields(scan, {
    kind: "helm",
    fields: block.fields,
    main: repository,
    mapping: map,
    text,
    quiet: !underImageKey,
    ...rewriteOf(walk3, block)
  });
  return true;
}
function noTagReason(chart, path9) {
  if (!chart) return "the chart's appVersion supplies it, and no Chart.yaml was read";
  if (!chart.appVersion)
    return `the chart's appVersion supplies it, and ${chart.directory}/Chart.yaml has no appVersion`;
  const literal = path9 && templateDefault(chart, [...path9, "tag"]);
  const own = literal === void 0 ? "" : `; they default it to ${quote(literal)}`;
  return `the chart's templates do not use .Chart.AppVersion (${chart.appVersion}) for it${own}`;
}
function hasTagOrRegistry(map, walk3) {
  const doc = walk3.scan.doc;
  return Boolean(lookup(map, "tag", doc) || lookup(map, "registry", doc) || lookup(map, "digest", doc));
}
function rewriteOf(walk3, block) {
  const result = {};
  if (Object.keys(block.keys).length > 0) result.keys = block.keys;
  if (walk3.registryOverride)
    result.notRewritable = `global.imageRegistry (${walk3.registryOverride}) sets the registry of every image, so the block alone cannot be rewritten`;
  else if (block.bareSha)
    result.notRewritable = "the digest is a bare sha key that the templates prefix with sha256:, which a rewrite does not write";
  return result;
}

// src/scan/helm/template.ts
function isHelmTemplate(content, file) {
  return /(?:^|\/)templates\//.test(file) && content.includes("{{");
}
var IMAGE_LINE = /^([ \t]*(?:-[ \t]+)?)(?:image|"image"|'image')[ \t]*:[ \t]+(?:"([^"\\]*)"|'([^']*)'|([^\s#'"][^#]*?))[ \t]*(?:#.*)?$/d;
var BLOCK_SCALAR = /:[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$/;
var MAX_TEMPLATED_LINES_SHOWN = 10;
function extractHelmTemplate(content, file) {
  const occurrences = [];
  const diagnostics = [];
  const lines = createLineIndex(content);
  const templated = actionLines(content);
  const templatedImages = [];
  let blockIndent = -1;
  let start = 0;
  for (let line = 1; start <= content.length; line++) {
    const newline = content.indexOf("\n", start);
    const end = newline < 0 ? content.length : newline;
    const text = content.slice(start, end).replace(/\r$/, "");
    const indent = /^[ \t]*/.exec(text)[0].length;
    const blank = text.trim() === "" || text.trimStart().startsWith("#");
    if (templated.has(line)) {
      if (/^\s*(?:-\s+)?image\s*:/.test(text)) templatedImages.push(line);
    } else if (!blank && blockIndent >= 0 && indent > blockIndent) {
    } else if (!blank) {
      blockIndent = BLOCK_SCALAR.test(text) ? indent : -1;
      const found = IMAGE_LINE.exec(text);
      if (found) literalImage({ file, content, lines, occurrences, diagnostics }, start, found, line);
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  if (templatedImages.length > 0) diagnostics.push(templatedNotice(file, templatedImages));
  return { occurrences, diagnostics };
}
function actionLines(content) {
  const covered = /* @__PURE__ */ new Set();
  let line = 1;
  let at = 0;
  for (let open = content.indexOf("{{"); open >= 0; open = content.indexOf("{{", at)) {
    line += count(content, "\n", at, open);
    const close = content.indexOf("}}", open + 2);
    const end = close < 0 ? content.length : close + 2;
    const last = line + count(content, "\n", open, end);
    for (let l = line; l <= last; l++) covered.add(l);
    line = last;
    at = end;
  }
  return covered;
}
function count(text, char, from, to) {
  let n = 0;
  for (let i = text.indexOf(char, from); i >= 0 && i < to; i = text.indexOf(char, i + 1)) n++;
  return n;
}
function literalImage(sink, lineStart, found, line) {
  const [, , double, single, plain] = found;
  const group = double !== void 0 ? 2 : single !== void 0 ? 3 : 4;
  const [from, to] = found.indices?.[group] ?? [0, 0];
  const value = double ?? single ?? plain ?? "";
  if (value.trim() === "") return;
  const quoted = group !== 4;
  const span = {
    start: lineStart + from - (quoted ? 1 : 0),
    end: lineStart + to + (quoted ? 1 : 0),
    style: group === 2 ? "double" : group === 3 ? "single" : "plain",
    value: group === 3 ? value.replaceAll("''", "'") : value
  };
  const text = span.value.trim();
  const notMirrored = notMirroredReason(text);
  if (notMirrored) {
    sink.diagnostics.push({
      file: sink.file,
      line,
      severity: "notice",
      message: `image ${quote(text)} ${notMirrored}`
    });
    return;
  }
  const parsed = tryParseReference(text);
  if (!parsed.ok) {
    const message = `invalid image reference ${quote(text)}: ${parsed.reason}`;
    sink.diagnostics.push({ file: sink.file, line, severity: "warning", message });
    return;
  }
  sink.occurrences.push({
    file: sink.file,
    kind: "helm",
    start: sink.lines.positionAt(span.start),
    end: sink.lines.positionAt(span.end),
    raw: sink.content.slice(span.start, span.end),
    reference: parsed.reference,
    target: { type: "scalar", scalar: span, prefix: "" }
  });
}
function templatedNotice(file, lines) {
  const shown = lines.slice(0, MAX_TEMPLATED_LINES_SHOWN).join(", ");
  const more = lines.length > MAX_TEMPLATED_LINES_SHOWN ? ` and ${lines.length - MAX_TEMPLATED_LINES_SHOWN} more` : "";
  return {
    file,
    line: lines[0],
    severity: "notice",
    message: `Helm template: the image(s) on line(s) ${shown}${more} are built by template actions ({{ }}); they come from the chart's values file`
  };
}

// src/scan/kubernetes/pod-spec.ts
var CONTAINER_KEYS = ["containers", "initContainers", "ephemeralContainers"];
var IMAGE_VARIABLE = /^RELATED_IMAGE_|_IMAGE$/;
var IMAGE_FLAG = /^--?[a-z0-9][a-z0-9.-]*(?:image|reloader)[a-z0-9.-]*=(.+)$/i;
var INNER3 = {
  plain: "plain-inner",
  double: "double-inner",
  single: "single-inner"
};
function podSpecPath(apiVersion, kind) {
  const group = apiVersion.split("/")[0] ?? "";
  if (group === "serving.knative.dev") {
    return { path: kind === "Revision" ? ["spec"] : ["spec", "template", "spec"], kind: "knative" };
  }
  if (group === "run.googleapis.com") {
    const path9 = kind === "Job" ? ["spec", "template", "spec", "template", "spec"] : ["spec", "template", "spec"];
    return { path: path9, kind: "cloud-run" };
  }
  if (kind === "Pod") return { path: ["spec"], kind: "kubernetes" };
  if (kind === "PodTemplate") return { path: ["template", "spec"], kind: "kubernetes" };
  if (kind === "CronJob")
    return { path: ["spec", "jobTemplate", "spec", "template", "spec"], kind: "kubernetes" };
  return { path: ["spec", "template", "spec"], kind: "kubernetes" };
}
function isPodSpec(scan, map) {
  return CONTAINER_KEYS.some(
    (key) => seqItems(getNode(map, key, scan.doc), scan.doc).some(
      (container) => isMap2(container) && getNode(container, "image", scan.doc) !== void 0
    )
  );
}
function extractPodSpec(scan, podSpec, kind) {
  const variables = textFact(scan, "image variables", (content) => content.includes("_IMAGE"));
  const flags = textFact(scan, "image flags", mayHoldImageFlag);
  for (const key of CONTAINER_KEYS) {
    for (const container of seqItems(getNode(podSpec, key, scan.doc), scan.doc)) {
      const map = asMap(container, scan.doc);
      if (!map) continue;
      reportScalar(scan, getNode(map, "image", scan.doc), kind);
      if (variables) reportImageVariables(scan, map, kind);
      if (flags) reportImageFlags(scan, map, kind);
    }
  }
  for (const volume of seqItems(getNode(podSpec, "volumes", scan.doc), scan.doc)) {
    const map = asMap(volume, scan.doc);
    const source = map && asMap(getNode(map, "image", scan.doc), scan.doc);
    if (source) reportScalar(scan, getNode(source, "reference", scan.doc), kind);
  }
}
function mayHoldImageFlag(content) {
  for (let equals = content.indexOf("="); equals >= 0; equals = content.indexOf("=", equals + 1)) {
    let start = equals;
    while (start > 0 && isFlagCharacter(content.charCodeAt(start - 1))) start--;
    if (equals - start < "image".length) continue;
    const run = content.slice(start, equals).toLowerCase();
    if (run.includes("image") || run.includes("reloader")) return true;
  }
  return false;
}
function isFlagCharacter(code) {
  return code >= 97 && code <= 122 || code >= 65 && code <= 90 || code >= 48 && code <= 57 || code === 46 || code === 45;
}
function reportImageVariables(scan, container, kind) {
  for (const variable of seqItems(getNode(container, "env", scan.doc), scan.doc)) {
    const map = asMap(variable, scan.doc);
    const name = map && getText(map, "name", scan.doc);
    if (!map || !name || !IMAGE_VARIABLE.test(name)) continue;
    const value = getNode(map, "value", scan.doc);
    if (isClearReference(value)) reportScalar(scan, value, kind);
  }
}
function reportImageFlags(scan, container, kind) {
  for (const key of ["args", "command"]) {
    for (const item of seqItems(getNode(container, key, scan.doc), scan.doc)) {
      const span = isScalar2(item) ? scalarSpan(item, scan.content) : void 0;
      const value = span && IMAGE_FLAG.exec(span.value)?.[1];
      const style = span && INNER3[span.style];
      if (!span || !value || !style || !isClearText(value) || notMirroredReason(value)) continue;
      if (scan.seen.has(span.start)) continue;
      const from = span.style === "plain" ? span.start : span.start + 1;
      if (scan.content.slice(from, from + span.value.length) !== span.value) continue;
      const start = from + span.value.length - value.length;
      const inner = { start, end: start + value.length, style, value };
      scan.seen.add(span.start);
      scan.occurrences.push({
        file: scan.file,
        kind,
        start: scan.lines.positionAt(inner.start),
        end: scan.lines.positionAt(inner.end),
        raw: value,
        reference: parseReference(value),
        target: { type: "scalar", scalar: inner, prefix: "" }
      });
    }
  }
}
function isClearReference(node) {
  return isScalar2(node) && typeof node.value === "string" && isClearText(node.value.trim());
}
function isClearText(text) {
  if (!tryParseReference(text).ok) return false;
  const name = text.split("@")[0] ?? "";
  return text.includes("@") || name.lastIndexOf(":") > name.lastIndexOf("/");
}

// src/scan/kubernetes/custom-resource.ts
var MAX_DEPTH2 = 40;
var SKIPPED_KEYS = /* @__PURE__ */ new Set([
  "status",
  "openAPIV3Schema",
  "validation",
  "schema",
  "rbd",
  "cephfs",
  "cinder",
  "iscsi"
]);
var POLICY_PATTERN_KEYS = /* @__PURE__ */ new Set([
  ...SKIPPED_KEYS,
  "pattern",
  "anyPattern",
  "deny",
  "preconditions",
  "verifyImages"
]);
var POD_SPEC_KEYS = /* @__PURE__ */ new Set([
  "containers",
  "initContainers",
  "ephemeralContainers",
  "volumes"
]);
function extractCustomResource(scan, spec, resource) {
  const group = resource.apiVersion.split("/")[0] ?? "";
  const isPolicy = group === "kyverno.io" || group.endsWith(".kyverno.io");
  walk2({ scan, kind: resource.kind, skipped: isPolicy ? POLICY_PATTERN_KEYS : SKIPPED_KEYS }, spec, 0);
}
function walk2(context, node, depth) {
  const { scan, kind } = context;
  if (depth > MAX_DEPTH2) return;
  if (isSeq2(node)) {
    for (const item of node.items) if (isMap2(item) || isSeq2(item)) walk2(context, item, depth + 1);
    return;
  }
  if (!isMap2(node)) return;
  const podSpec = isPodSpec(scan, node);
  if (podSpec) extractPodSpec(scan, node, kind);
  for (const { key, value } of mapEntries(node, scan.doc)) {
    if (context.skipped.has(key) || podSpec && POD_SPEC_KEYS.has(key)) continue;
    if (isImageKey2(key) && reportImage2(scan, value, kind)) continue;
    if (isMap2(value) || isSeq2(value)) walk2(context, value, depth + 1);
  }
}
function isImageKey2(key) {
  return key === "image" || key === "imageName" || /[a-z0-9]Image$/.test(key);
}
function reportImage2(scan, value, kind) {
  if (isScalar2(value)) {
    const text = typeof value.value === "string" ? value.value : "";
    if (templateIn(text) || !isClearReference(value)) return true;
    reportScalar(scan, value, kind);
    return true;
  }
  if (!isMap2(value)) return false;
  const reference = getNode(value, "reference", scan.doc);
  if (isScalar2(reference)) return reportImage2(scan, reference, kind);
  return reportBlock2(scan, value, kind);
}
function reportBlock2(scan, map, kind) {
  const block = readImageBlock(scan, map, { allowName: false, diagnose: false });
  const repository = block?.fields.repository;
  if (!block || !repository) return false;
  const text = blockReference(block);
  if (text === void 0) return true;
  const fields = block.fields;
  const keys = Object.keys(block.keys).length > 0 ? { keys: block.keys } : {};
  const notRewritable = block.bareSha ? { notRewritable: "the digest is a bare sha key, which a rewrite does not write" } : {};
  reportFields(scan, {
    kind,
    format: "helm",
    fields,
    main: repository,
    mapping: map,
    text,
    ...keys,
    ...notRewritable
  });
  return true;
}

// src/scan/kubernetes/extract.ts
var MAX_LIST_DEPTH = 4;
var WORKLOAD_WORDS = [["image", "Image"], ["kind"], ["apiVersion"]];
var BARE_KEY = /[ \t]*:[ \t]*(?:#.*)?$/my;
var KEY_COLON = /\s*:/y;
function extractKubernetes(content, file, context) {
  if (isHelmTemplate(content, file)) return extractHelmTemplate(content, file);
  const hasObjects = mayBeWorkload(content);
  if (!hasObjects && /\.ya?ml$/.test(file) && chartOf(file, context?.project))
    return extractHelmValues(content, file, context);
  const results = [];
  if (hasObjects) {
    const options = context ? { keepDocument: mayBeWorkload, context } : { keepDocument: mayBeWorkload };
    results.push(scanYaml(content, file, (scan, root) => extractKubernetesObject(scan, root), options));
  }
  if (!matchesAtLineStart(content, "apiVersion", KEY_COLON)) {
    if (matchesAtLineStart(content, "services", BARE_KEY))
      results.push(extractCompose(content, file, context));
    if (matchesAtLineStart(content, "steps", BARE_KEY))
      results.push(extractCloudBuild(content, file, { byContent: true }));
  }
  return merge(results);
}
function merge(results) {
  if (results.length === 1) return results[0];
  const merged = { occurrences: [], diagnostics: [] };
  for (const result of results) {
    merged.occurrences.push(...result.occurrences);
    merged.diagnostics.push(...result.diagnostics);
    if (result.buildOutputs) merged.buildOutputs = [...merged.buildOutputs ?? [], ...result.buildOutputs];
  }
  return merged;
}
function mayBeWorkload(text) {
  return WORKLOAD_WORDS.every((words) => mayContainKeys(text, words));
}
function extractKubernetesObject(scan, node, inherited, depth = 0) {
  const object = asMap(node, scan.doc);
  if (!object) return;
  const apiVersion = getText(object, "apiVersion", scan.doc) ?? inherited?.apiVersion;
  const kind = getText(object, "kind", scan.doc) ?? inherited?.kind;
  if (apiVersion === void 0 || kind === void 0) return;
  if (kind === "List" || kind.endsWith("List")) {
    extractList(scan, object, { apiVersion, kind }, depth);
    return;
  }
  if (apiVersion.startsWith("skaffold/")) {
    declareSkaffoldArtifacts(scan, object);
    return;
  }
  const { path: specPath, kind: occurrenceKind } = podSpecPath(apiVersion, kind);
  if (isBuiltIn(apiVersion)) {
    const podSpec = asMap(getPath(object, specPath, scan.doc), scan.doc);
    if (podSpec) extractPodSpec(scan, podSpec, occurrenceKind);
    return;
  }
  const spec = getNode(object, "spec", scan.doc);
  if (spec) extractCustomResource(scan, spec, { apiVersion, kind: occurrenceKind });
}
function isBuiltIn(apiVersion) {
  if (!apiVersion.includes("/")) return true;
  const group = apiVersion.slice(0, apiVersion.indexOf("/"));
  return !group.includes(".") || group.endsWith(".k8s.io");
}
function extractList(scan, list, header, depth) {
  if (depth >= MAX_LIST_DEPTH) {
    diagnose(
      scan,
      lineOf(scan, list),
      "warning",
      `lists nested deeper than ${MAX_LIST_DEPTH} levels are not scanned`
    );
    return;
  }
  const itemHeader = header.kind === "List" ? void 0 : { apiVersion: header.apiVersion, kind: header.kind.slice(0, -"List".length) };
  for (const item of seqItems(getNode(list, "items", scan.doc), scan.doc)) {
    extractKubernetesObject(scan, item, itemHeader, depth + 1);
  }
}
function declareSkaffoldArtifacts(scan, config) {
  const builds = [getNode(config, "build", scan.doc)];
  for (const profile of seqItems(getNode(config, "profiles", scan.doc), scan.doc)) {
    const map = asMap(profile, scan.doc);
    if (map) builds.push(getNode(map, "build", scan.doc));
  }
  for (const build of builds) {
    for (const artifact of seqItems(getPath(build, ["artifacts"], scan.doc), scan.doc)) {
      const map = asMap(artifact, scan.doc);
      const image = map && getText(map, "image", scan.doc);
      const parsed = image ? tryParseReference(image.trim()) : void 0;
      if (!map || !parsed?.ok) continue;
      const line = lineOf(scan, getNode(map, "image", scan.doc));
      const via = `skaffold build.artifacts of ${path7.basename(scan.file)}`;
      scan.buildOutputs.push({
        name: repositoryName(parsed.reference),
        file: scan.file,
        line,
        via,
        scope: "tree"
      });
    }
  }
}

// src/scan/kustomize/extract.ts
var IMAGE_KEYS = ["name", "newName", "newTag", "digest"];
function extractKustomize(content, file) {
  if (!mayContainKeys(content, ["images"])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => extractKustomization(scan, root));
}
function extractKustomization(scan, root) {
  for (const entry of seqItems(getPath(root, ["images"], scan.doc), scan.doc)) {
    const mapping = asMap(entry, scan.doc);
    const fields = mapping && fieldSpans(scan, mapping, IMAGE_KEYS);
    const name = fields?.name;
    if (!mapping || !fields || !name) continue;
    const main = fields.newName ?? name;
    const base = main.value.trim();
    const digest = fields.digest?.value.trim();
    const tag = fields.newTag?.value.trim();
    const placeholder = notMirroredReason(base);
    if (placeholder) {
      const line = scan.lines.positionAt(main.start).line;
      diagnose(scan, line, "notice", `image ${quote(base)} ${placeholder}`);
      continue;
    }
    if (!digest && !tag && !hasTag2(base)) {
      const line = scan.lines.positionAt(main.start).line;
      diagnose(
        scan,
        line,
        "notice",
        `image ${quote(base)} sets no newTag or digest; its tag comes from the resources`
      );
      continue;
    }
    const text = digest ? `${base}@${digest}` : tag ? `${base}:${tag}` : base;
    reportFields(scan, { kind: "kustomize", fields, main, mapping, text });
  }
}
function hasTag2(name) {
  return name.lastIndexOf(":") > name.lastIndexOf("/");
}

// src/scan/yaml/stream.ts
function extractYamlStream(content, file) {
  if (!mayContainKeys(content, ["image"])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, extractDocument);
}
function extractDocument(scan, root) {
  const object = asMap(root, scan.doc);
  const kind = object && getText(object, "kind", scan.doc);
  if (kind === "Kustomization" || kind === "Component") extractKustomization(scan, root);
  else extractKubernetesObject(scan, root);
}

// src/scan/cloudbuild/index.ts
var cloudBuildFinder = {
  name: "cloudbuild",
  matches: (path9) => /(?:^|\/)cloudbuild[^/]*\.ya?ml$/.test(path9),
  extract: (content, file) => extractCloudBuild(content, file)
};

// src/scan/compose/index.ts
import path8 from "node:path/posix";
var COMPOSE_NAME = /(?:^|\/)(?:docker-)?compose[^/]*\.ya?ml$/;
function isComposePath(file) {
  return COMPOSE_NAME.test(file);
}
var composeFinder = {
  name: "compose",
  matches: isComposePath,
  extract: (content, file, context) => extractCompose(content, file, context)
};
var dotenvFinder = {
  name: "dotenv",
  matches: (file) => /^(?:\.env(?:\..+)?|.+\.env)$/.test(path8.basename(file)),
  extract: (content, file, context) => extractDotenv(content, file, context)
};
function envTexts(content, file, context) {
  const given = context.project?.envFiles;
  if (!given?.length) return path8.basename(file) === DOTENV ? [{ file, content }] : void 0;
  if (!given.includes(file)) return void 0;
  return given.map((other) => ({
    file: other,
    content: other === file ? content : context.project?.read(other) ?? ""
  }));
}
function composeFilesFor(file, context) {
  const project = context.project;
  if (!project) return [];
  const candidates = project.envFiles?.length ? project.listUnder(".") : project.list(path8.dirname(file));
  return candidates.filter(isComposePath);
}
function extractDotenv(content, file, context) {
  const result = { occurrences: [], diagnostics: [] };
  const texts = envTexts(content, file, context);
  if (!texts) return result;
  const env = readComposeEnv(texts);
  if (env.error) {
    const { line, message } = env.error;
    const diagnostic = `compose cannot read this file: ${message}`;
    if (env.error.file === file)
      result.diagnostics.push({ file, line, severity: "warning", message: diagnostic });
    return result;
  }
  for (const composeFile of composeFilesFor(file, context)) {
    const text = context.project?.read(composeFile);
    if (text === void 0) continue;
    const extracted = extractCompose(text, composeFile, context, { env });
    result.occurrences.push(...extracted.occurrences.filter((o) => o.file === file));
  }
  result.occurrences = uniqueOccurrences(result.occurrences);
  return result;
}

// src/scan/helm/index.ts
var VALUES_NAME = /(?:^|\/)[^/]*values[^/]*\.ya?ml$/;
var helmFinder = {
  name: "helm",
  matches: (path9) => VALUES_NAME.test(path9) && !/(?:^|\/)templates\//.test(path9),
  extract: (content, file, context) => extractValuesFile(content, file, context),
  reads: (path9) => /(?:^|\/)templates\/(?:[^/]+\/)*[^/]+\.tpl$/.test(path9)
};
function extractValuesFile(content, file, context) {
  if (context.hasSibling("Chart.yaml") || chartOf(file, context.project)) {
    return extractHelmValues(content, file, context);
  }
  const isManifest = mayContainKeys(content, ["apiVersion"]) && /^\s*kind\s*:/m.test(content);
  return isManifest ? extractKubernetes(content, file, context) : extractHelmValues(content, file, context);
}

// src/scan/ko/extract.ts
function extractKoConfig(content, file) {
  if (!mayContainKeys(content, ["BaseImage"])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => {
    const config = asMap(root, scan.doc);
    if (!config) return;
    reportScalar(scan, getNode(config, "defaultBaseImage", scan.doc), "ko");
    const overrides = asMap(getPath(root, ["baseImageOverrides"], scan.doc), scan.doc);
    for (const { value } of overrides ? mapEntries(overrides, scan.doc) : []) reportScalar(scan, value, "ko");
  });
}

// src/scan/ko/index.ts
var koFinder = {
  name: "ko",
  matches: (path9) => /(?:^|\/)\.ko\.ya?ml$/.test(path9),
  extract: (content, file) => extractKoConfig(content, file)
};

// src/scan/kubernetes/index.ts
var NOT_MANIFEST_JSON = /(?:^|\/)(?:package(?:-lock)?|npm-shrinkwrap|composer|tsconfig[^/]*|jsconfig|lerna|nx|angular|deno|biome|renovate|devcontainer|launch|settings|tasks|extensions)\.json$|\.(?:schema|min|lock)\.json$/;
var kubernetesFinder = {
  name: "kubernetes",
  matches: (path9) => /\.ya?ml$/.test(path9) || path9.endsWith(".json") && !NOT_MANIFEST_JSON.test(path9),
  extract: (content, file, context) => extractKubernetes(content, file, context)
};

// src/scan/kustomize/index.ts
var kustomizeFinder = {
  name: "kustomize",
  matches: (path9) => /(?:^|\/)(?:kustomization\.ya?ml|Kustomization)$/.test(path9),
  extract: (content, file) => extractKustomize(content, file)
};

// src/scan/workflows/extract.ts
var DOCKER_PREFIX = "docker://";
var NOTHING = { occurrences: [], diagnostics: [] };
function extractWorkflow(content, file) {
  if (!mayContainKeys(content, ["container", "image", "uses"])) return NOTHING;
  return scanYaml(content, file, (scan, root) => {
    const jobs = asMap(getPath(root, ["jobs"], scan.doc), scan.doc);
    if (!jobs) return;
    for (const { value } of mapEntries(jobs, scan.doc)) {
      const job = asMap(value, scan.doc);
      if (job) extractJob(scan, job);
    }
  });
}
function extractJob(scan, job) {
  const container = getNode(job, "container", scan.doc);
  const containerMap = asMap(container, scan.doc);
  reportScalar(
    scan,
    containerMap ? getNode(containerMap, "image", scan.doc) : container,
    "workflow-container"
  );
  const services = asMap(getNode(job, "services", scan.doc), scan.doc);
  for (const { value } of services ? mapEntries(services, scan.doc) : []) {
    const service = asMap(value, scan.doc);
    if (service) reportScalar(scan, getNode(service, "image", scan.doc), "workflow-service");
  }
  extractSteps(scan, job);
}
function extractSteps(scan, owner) {
  for (const step of seqItems(getNode(owner, "steps", scan.doc), scan.doc)) {
    const map = asMap(step, scan.doc);
    const uses = map && getNode(map, "uses", scan.doc);
    if (isDockerUrl(uses)) reportScalar(scan, uses, "workflow-step", { prefix: DOCKER_PREFIX });
  }
}
function extractAction(content, file) {
  if (!mayContainKeys(content, [DOCKER_PREFIX])) return NOTHING;
  return scanYaml(content, file, (scan, root) => {
    const runs = asMap(getPath(root, ["runs"], scan.doc), scan.doc);
    if (!runs) return;
    const image = getNode(runs, "image", scan.doc);
    if (isDockerUrl(image)) reportScalar(scan, image, "action", { prefix: DOCKER_PREFIX });
    extractSteps(scan, runs);
  });
}
function isDockerUrl(node) {
  return isScalar2(node) && (scalarText(node) ?? "").trim().startsWith(DOCKER_PREFIX);
}

// src/scan/workflows/index.ts
var workflowFinder = {
  name: "workflow",
  matches: (path9) => /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path9),
  extract: (content, file) => extractWorkflow(content, file)
};
var actionFinder = {
  name: "action",
  matches: (path9) => /(?:^|\/)action\.ya?ml$/.test(path9),
  extract: (content, file) => extractAction(content, file)
};

// src/scan/yaml/index.ts
var yamlFinders = [
  workflowFinder,
  actionFinder,
  composeFinder,
  kustomizeFinder,
  cloudBuildFinder,
  helmFinder,
  koFinder,
  kubernetesFinder
];

// src/scan/dockerfile/parts.ts
function rewritablePart(text, scope, escapeChar) {
  const whole = wholeDefault(text);
  if (whole) {
    const { variable, colon, operand } = whole;
    if (!isLiteral(operand, escapeChar) || isSet(scope.get(variable), colon)) return void 0;
    return { type: "default", start: text.length - 1 - operand.length, end: text.length - 1 };
  }
  if (!isLiteral(text.slice(0, text.indexOf("$")), escapeChar)) return void 0;
  const name = nameBeforeVariableTag(text);
  return name === void 0 ? void 0 : { type: "name", start: 0, end: name.length };
}
function isLiteral(text, escapeChar) {
  return text !== "" && !/[$"'\s]/.test(text) && !text.includes(escapeChar);
}
function isSet(binding, colon) {
  return binding?.value !== void 0 && (!colon || binding.value !== "");
}

// src/scan/dockerfile/extract.ts
var EMPTY_SCOPE = /* @__PURE__ */ new Map();
var STAGE_NAME2 = /\s[Aa][Ss]\s+(\S+)\s*$/;
var MAY_HOLD_IMAGE = /from|syntax/i;
function extractDockerfile(content, file) {
  try {
    if (!MAY_HOLD_IMAGE.test(content)) return { occurrences: [], diagnostics: [] };
    return extract(content, file);
  } catch (err) {
    const message = `could not read Dockerfile: ${errorMessage(err)}`;
    return { occurrences: [], diagnostics: [{ file, line: 0, severity: "error", message }] };
  }
}
function extract(content, file) {
  const lexed = lexDockerfile(content);
  const ctx = {
    content,
    file,
    lexed,
    occurrences: [],
    diagnostics: lexed.problems.map((p) => ({ file, line: p.line, severity: "warning", message: p.message })),
    globals: /* @__PURE__ */ new Map(),
    stage: void 0,
    earlierStages: /* @__PURE__ */ new Set(),
    allStages: /* @__PURE__ */ new Set()
  };
  for (const instruction of lexed.instructions) {
    if (instruction.keyword !== "FROM") continue;
    const name = stageName(instruction);
    if (name !== void 0) ctx.allStages.add(name);
  }
  reportSyntaxDirective(ctx);
  for (const instruction of lexed.instructions) handleInstruction(ctx, instruction, false);
  return { occurrences: ctx.occurrences, diagnostics: ctx.diagnostics };
}
function stageName(instruction) {
  return STAGE_NAME2.exec(instruction.text.slice(instruction.argsStart))?.[1]?.toLowerCase();
}
function handleInstruction(ctx, instruction, downstream) {
  switch (instruction.keyword) {
    case "ARG":
      if (!downstream) handleArg(ctx, instruction);
      return;
    case "FROM":
      if (downstream) {
        const message = "ONBUILD FROM is not allowed by Docker; its image is not reported";
        diagnose2(ctx, instruction.line, "warning", message);
      } else handleFrom(ctx, instruction);
      return;
    case "COPY":
      if (instruction.text.includes("--", instruction.argsStart)) handleCopy(ctx, instruction, downstream);
      return;
    case "RUN":
      if (instruction.text.includes("--mount", instruction.argsStart))
        handleRun(ctx, instruction, downstream);
      return;
    case "ONBUILD":
      if (!downstream) handleInstruction(ctx, onbuildTrigger(instruction), true);
      return;
  }
}
function onbuildTrigger(instruction) {
  const trigger = leadingWord(instruction.text.slice(instruction.argsStart));
  return {
    ...instruction,
    keyword: trigger.keyword.toUpperCase(),
    argsStart: instruction.argsStart + trigger.end
  };
}
function handleArg(ctx, instruction) {
  const scope = ctx.stage ?? ctx.globals;
  for (const word of splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar)) {
    const equals = word.text.indexOf("=");
    const name = equals < 0 ? word.text : word.text.slice(0, equals);
    if (equals < 0) {
      const inherited = ctx.stage ? ctx.globals.get(name) : void 0;
      scope.set(name, inherited ?? { value: void 0, origin: void 0 });
    } else {
      const piece = { text: word.text.slice(equals + 1), start: word.start + equals + 1 };
      scope.set(name, bindDefault(ctx, instruction, piece, scope));
    }
  }
}
function bindDefault(ctx, instruction, piece, scope) {
  const expansion = expandWord(piece.text, scope, ctx.lexed.escapeChar);
  if (!expansion.ok) return { value: void 0, origin: void 0, reason: expansion.cause };
  if (expansion.whole?.origin) return { value: expansion.value, origin: expansion.whole.origin };
  const inner = unquote(piece);
  if (inner.text === "") return { value: expansion.value, origin: void 0 };
  const part = inner.text.includes("$") ? partOrigin(ctx, instruction, inner, scope) : void 0;
  if (part) return { value: expansion.value, origin: part };
  const span = sourceSpan(instruction, inner.start, inner.start + inner.text.length);
  const origin = { ...span, value: expansion.value };
  return { value: expansion.value, origin };
}
function handleFrom(ctx, instruction) {
  const words = splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar);
  const { next } = readFlags(words, 0);
  const image = words[next];
  if (image === void 0) diagnose2(ctx, instruction.line, "warning", "FROM without an image");
  else {
    const candidate = {
      ...image,
      kind: "dockerfile-from",
      label: "FROM",
      scope: ctx.globals,
      stages: ctx.earlierStages,
      downstream: false
    };
    reportImage3(ctx, instruction, candidate);
  }
  ctx.stage = /* @__PURE__ */ new Map();
  const name = stageName(instruction);
  if (name !== void 0) ctx.earlierStages.add(name);
}
function handleCopy(ctx, instruction, downstream) {
  const words = splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar);
  for (const flag of readFlags(words, 0).flags) {
    if (flag.name !== "from" || flag.value === void 0) continue;
    const piece = unquote({ text: flag.value, start: flag.valueStart });
    const label = downstream ? "ONBUILD COPY --from" : "COPY --from";
    const kind = downstream ? "dockerfile-onbuild" : "dockerfile-copy-from";
    reportStageOrImage(ctx, instruction, piece, { kind, label, downstream });
  }
}
function handleRun(ctx, instruction, downstream) {
  const words = splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar);
  for (const flag of readFlags(words, 0).flags) {
    if (flag.name !== "mount" || flag.value === void 0) continue;
    const mount = unquote({ text: flag.value, start: flag.valueStart });
    for (const option of splitOptions(mount.text, mount.start)) {
      const equals = option.text.indexOf("=");
      if (equals < 0 || option.text.slice(0, equals).trim().toLowerCase() !== "from") continue;
      const piece = unquote({ text: option.text.slice(equals + 1), start: option.start + equals + 1 });
      const label = downstream ? "ONBUILD RUN --mount from" : "RUN --mount from";
      const kind = downstream ? "dockerfile-onbuild" : "dockerfile-mount-from";
      reportStageOrImage(ctx, instruction, piece, { kind, label, downstream });
    }
  }
}
function reportStageOrImage(ctx, instruction, piece, how) {
  if (piece.text === "" || /^\d+$/.test(piece.text)) return;
  const scope = how.downstream ? EMPTY_SCOPE : ctx.stage ?? EMPTY_SCOPE;
  const end = piece.start + piece.text.length;
  reportImage3(ctx, instruction, { ...piece, end, ...how, scope, stages: ctx.allStages });
}
function reportSyntaxDirective(ctx) {
  const directive = ctx.lexed.directives.find((d) => d.name === "syntax");
  if (directive === void 0 || directive.value === "") return;
  const value = directive.value;
  const reference = tryParseReference(value);
  if (!reference.ok) {
    diagnose2(ctx, directive.line, "error", `syntax directive ${quoteText(value)}: ${reference.reason}`);
    return;
  }
  const at = { start: directive.start, end: directive.end, value };
  addOccurrence(ctx, "dockerfile-syntax", at, reference.reference);
}
function reportImage3(ctx, instruction, candidate) {
  const { text, label } = candidate;
  const span = sourceSpan(instruction, candidate.start, candidate.end);
  const line = positionAt(ctx.lexed.lines, span.start).line;
  const expansion = expandWord(text, candidate.scope, ctx.lexed.escapeChar);
  if (!expansion.ok) {
    const why = candidate.downstream ? "ONBUILD variables are resolved by the downstream build" : expansion.reason;
    diagnose2(ctx, line, "warning", `${label} ${quoteText(text)}: ${why}; not reported`);
    return;
  }
  const value = expansion.value;
  const lower = value.toLowerCase();
  if (lower === "scratch" || candidate.stages.has(lower)) return;
  if (candidate.downstream && !/[:/@]/.test(value)) {
    const message = `${label} ${quoteText(text)} may name a stage of the downstream build; not reported`;
    diagnose2(ctx, line, "notice", message);
    return;
  }
  const notMirrored = notMirroredReason(value);
  if (notMirrored) {
    diagnose2(ctx, line, "notice", `${label} ${quoteText(value)} ${notMirrored}`);
    return;
  }
  const parsed = tryParseReference(value);
  if (!parsed.ok) {
    const expanded = value === text ? "" : ` (expands to ${quoteText(value)})`;
    diagnose2(ctx, line, "error", `${label} ${quoteText(text)}${expanded}: ${parsed.reason}`);
    return;
  }
  const origin = expansion.whole?.origin ?? (text.includes("$") ? partOrigin(ctx, instruction, candidate, candidate.scope) : void 0);
  if (origin && (origin.part !== "name" || sameRepository(origin.value, parsed.reference)))
    addOccurrence(ctx, candidate.kind, origin, parsed.reference);
  else addOccurrence(ctx, candidate.kind, { ...span, value: text }, parsed.reference);
}
function partOrigin(ctx, instruction, piece, scope) {
  const part = rewritablePart(piece.text, scope, ctx.lexed.escapeChar);
  if (!part) return void 0;
  const span = sourceSpan(instruction, piece.start + part.start, piece.start + part.end);
  const value = piece.text.slice(part.start, part.end);
  if (ctx.content.slice(span.start, span.end) !== value) return void 0;
  if (part.type !== "name") return { ...span, value };
  return { ...span, value, part: "name", variables: variablesIn(piece.text.slice(part.end)) };
}
function addOccurrence(ctx, kind, at, reference) {
  const { lines } = ctx.lexed;
  const scalar = { start: at.start, end: at.end, style: "dockerfile", value: at.value };
  ctx.occurrences.push({
    file: ctx.file,
    kind,
    start: positionAt(lines, at.start),
    end: positionAt(lines, at.end),
    raw: ctx.content.slice(at.start, at.end),
    reference,
    target: at.part === "name" ? { type: "name", scalar, variables: at.variables ?? [] } : { type: "scalar", scalar, prefix: "" }
  });
}
function diagnose2(ctx, line, severity, message) {
  ctx.diagnostics.push({ file: ctx.file, line, severity, message });
}

// src/scan/dockerfile/index.ts
function isDockerfilePath(path9) {
  const base = path9.slice(path9.lastIndexOf("/") + 1);
  if (base.endsWith(".dockerignore")) return false;
  return base === "Dockerfile" || base.startsWith("Dockerfile.") || // `Dockerfile-WINDOWS_LTSC2022`, `Dockerfile_arm`: variants kept beside the main one.
  base.startsWith("Dockerfile-") || base.startsWith("Dockerfile_") || base.startsWith("Containerfile") || base.length > ".Dockerfile".length && (base.endsWith(".Dockerfile") || base.endsWith(".dockerfile"));
}
var dockerfileFinder = {
  name: "dockerfile",
  matches: isDockerfilePath,
  extract: (content, file) => extractDockerfile(content, file)
};

// src/scan/tilt/extract.ts
var BUILD_CALL = /\b(docker_build_with_restart|docker_build|custom_build)\(\s*(?:ref\s*=\s*)?(["'])([^"'\n]{1,300})\2/g;
function extractTiltfile(content, file) {
  const buildOutputs = [];
  const lines = content.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? "").replace(/(^|\s)#.*$/, "$1");
    for (const match of line.matchAll(BUILD_CALL)) {
      const parsed = tryParseReference((match[3] ?? "").trim());
      if (!parsed.ok) continue;
      const name = repositoryName(parsed.reference);
      buildOutputs.push({ name, file, line: index + 1, via: `Tiltfile ${match[1]}`, scope: "tree" });
    }
  }
  return buildOutputs.length > 0 ? { occurrences: [], diagnostics: [], buildOutputs } : { occurrences: [], diagnostics: [] };
}

// src/scan/tilt/index.ts
var tiltFinder = {
  name: "tilt",
  matches: (path9) => path9 === "Tiltfile" || path9.endsWith("/Tiltfile"),
  extract: (content, file) => extractTiltfile(content, file)
};

// src/scan/index.ts
var allFinders = [dockerfileFinder, ...yamlFinders, dotenvFinder, tiltFinder];
var noSiblings = { hasSibling: () => false };
function extractFile(file, content, context = noSiblings) {
  return extractWith(allFinders, file, content, context);
}

export {
  decodeText,
  scanPaths,
  extractYamlStream,
  allFinders,
  extractFile
};
