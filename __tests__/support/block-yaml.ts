/**
 * Generators of block-style YAML for the differential tests of the fast YAML parser: random trees
 * of manifest-like keys and values (one-line flow collections and block scalars among them), rendered with random
 * indentation widths, compact or indented sequence items, quoting, trailing comments, comment
 * lines, blank lines and `---` separators; and
 * single-character mutations of any text, which push inputs across the subset's edges.
 */
import fc from 'fast-check';

/** A generated YAML value: a scalar's text as written, a mapping or a sequence. */
export type Tree =
  | { scalar: string }
  | { block: string; body: string[] }
  | { map: Array<[string, Tree]> }
  | { seq: Tree[] };

const KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'spec',
  'template',
  'containers',
  'initContainers',
  'image',
  'services',
  'build',
  'jobs',
  'container',
  'steps',
  'uses',
  'runs',
  'images',
  'newName',
  'newTag',
  'digest',
  'repository',
  'tag',
  'registry',
  'volumes',
  'reference',
  'items',
  'x',
  '<<',
  '"image"',
  "'kind'",
  '1',
  'true',
  '~',
];
/** Values inside the fast parser's subset, as manifests write them. */
const VALUES = [
  'v1',
  'apps/v1',
  'Pod',
  'Deployment',
  'List',
  'PodList',
  'Kustomization',
  'nginx',
  'nginx:1.25',
  'redis:7.2-alpine',
  'ghcr.io/acme/api:2.3.1',
  `quay.io/a/b@sha256:${'a'.repeat(64)}`,
  'docker://alpine:3',
  '"nginx:1.25"',
  "'redis:7'",
  '"a b"',
  "'it''s'",
  '""',
  "''",
  '${TAG}',
  '${TAG:-1}',
  'a{b}[c]',
  '7.20',
  '0x1F',
  '0o17',
  '-1',
  '+2',
  '.inf',
  '.NaN',
  '1e3',
  'true',
  'False',
  'null',
  '~',
  'yes',
  'a#b',
  'http://x:80/y',
  'a,b',
  'Nginx:Latest',
  '-foo',
  'a  b',
  'ümlaut',
  '"a # b"',
  "'a: b'",
  // One-line flow collections, as `helm template` writes them.
  '{}',
  '[]',
  '{ }',
  '[ ]',
  '[a, b]',
  '[ a , b ]',
  '{cpu: 1, memory: 512Mi}',
  '["get", "list", "watch"]',
  '{name: http, port: {name: http}}',
  `{'x, y': "p{q}", z: 'it''s'}`,
  `["a,b", 'c]d', "#x", "{y}"]`,
  '{a: [1, {b: c}], d: []}',
  '[[1, 2], [3], []]',
  '{image: nginx:1.25}',
  '[nginx:1.25, "redis:7"]',
  '{a: b}  # c',
  '[x] # c',
  '{key: "a # b"}',
  '[-1, .5, ~, null, true, 0x1F, 7.20]',
  '{a: http://x:80/y, b: a#b}',
  '{"image": "nginx:1.25", tag: "1"}',
];
/** Values outside the subset (or invalid YAML), mixed in rarely so most streams stay inside. */
const EDGE_VALUES = [
  'x:',
  '- x',
  'a: b',
  '[x]',
  '{{ .Values.x }}',
  '&a x',
  '*a',
  '!!str x',
  '|',
  '> x',
  '"esc\\n"',
  '@x',
  '`x',
  '"open',
  "'open",
  '? x',
  '%x',
  '#x',
  '"a" b',
  ',x',
  // Flow collections outside the fast subset (or invalid): `yaml` must get them.
  '[a, b, ]',
  '[a,, b]',
  '[,a]',
  '{a}',
  '{a: }',
  '{a:}',
  '[a: b]',
  '{"a":1}',
  '{a : b}',
  '[&x a]',
  '[*x]',
  '[!!str a]',
  '{? a: b}',
  '{a: b',
  '[a,\n  b]',
  '{a: 1,\n  b: 2}',
  '{a: 1, a: 2}',
  '[x]#c',
  '[x] y',
  '[a #c]',
  '["\\t"]',
  '[${TAG}]',
  '{a: b}}',
  '[a]]',
  '[x]: y',
  '{a: b}: c',
  `${'['.repeat(17)}x${']'.repeat(17)}`,
];

/** Scalars as a flow collection holds them: quoted ones with `,`, `{`, `]` and `#` inside, and some edges. */
const FLOW_ATOMS = [
  'a',
  'nginx:1.25',
  'http://x:80/y',
  '1',
  '-1',
  '7.20',
  'true',
  '~',
  'null',
  'a b',
  'a#b',
  'ümlaut',
  '"a, b"',
  "'c}d'",
  '"x # y"',
  "'it''s'",
  '""',
  "''",
  '"[a]"',
];
const FLOW_EDGE_ATOMS = ['${TAG}', 'a: b', '&a x', '*a', '!!str x', '"esc\\n"', 'a #c', '? x', '- x', ''];

const flowAtom = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...FLOW_ATOMS) },
  { weight: 1, arbitrary: fc.constantFrom(...FLOW_EDGE_ATOMS) },
);
const separator = fc.constantFrom(', ', ', ', ',', ' , ', ',  ');
const padding = fc.constantFrom('', '', ' ');

/**
 * Flow collections on one line: mappings and sequences nested up to three levels, with the
 * spacing variants YAML allows and, rarely, an entry outside the subset.
 */
export const flowArbitrary: fc.Arbitrary<string> = fc.letrec<{ flow: string; entry: string }>((tie) => ({
  entry: fc.oneof({ depthSize: 'small', withCrossShrink: true }, flowAtom, tie('flow')),
  flow: fc.oneof(
    fc
      .tuple(fc.array(tie('entry'), { maxLength: 4 }), separator, padding)
      .map(([items, sep, pad]) => `[${pad}${items.join(sep)}${pad}]`),
    fc
      .tuple(fc.array(fc.tuple(flowAtom, tie('entry')), { maxLength: 4 }), separator, padding)
      .map(([pairs, sep, pad]) => `{${pad}${pairs.map(([k, v]) => `${k}: ${v}`).join(sep)}${pad}}`),
  ),
})).flow;

const scalar = fc
  .oneof(
    { weight: 30, arbitrary: fc.constantFrom(...VALUES) },
    { weight: 6, arbitrary: flowArbitrary },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_VALUES) },
  )
  .map((text) => ({ scalar: text }));

/** Block scalar headers: the ones in the fast subset, and rarely others (keep, indentation indicators). */
const BLOCK_HEADERS = ['|', '|-', '>', '>-', '| # script', '>-  # long'];
const EDGE_BLOCK_HEADERS = ['|+', '>+', '|2', '>-1', '|#c', '| x'];
/** Body lines as scripts and embedded files have them: empty lines, more-indented ones, YAML-looking text. */
const BODY_LINES = [
  'echo hi',
  'set -e && make image=nginx:1.25',
  'image: nginx:1.25',
  '# not a comment',
  'a: b',
  '',
  '',
  '  more indented',
  '{"a": [1]}',
  'it\'s "quoted"',
  '---',
  '- item',
  'FROM alpine:3',
];

const block = fc
  .tuple(
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...BLOCK_HEADERS) },
      { weight: 1, arbitrary: fc.constantFrom(...EDGE_BLOCK_HEADERS) },
    ),
    fc.array(fc.constantFrom(...BODY_LINES), { minLength: 1, maxLength: 5 }),
  )
  .map(([header, body]): Tree => ({ block: header, body }));

/** Trees up to four levels deep with up to four entries per collection. */
export const treeArbitrary: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    block,
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { minLength: 1, maxLength: 4 })
      .map((map) => ({ map })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 4 }).map((seq) => ({ seq })),
  ),
})).tree;

/** Small deterministic generator, so one fast-check seed reproduces every rendering choice. */
function createRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

interface Render {
  random: (n: number) => number;
  width: number;
  out: string[];
}

function spaces(n: number): string {
  return ' '.repeat(n);
}

/** A line, sometimes with a trailing comment, sometimes after a blank or a comment line. */
function emit(render: Render, indent: number, text: string): void {
  const { random, out } = render;
  if (random(8) === 0) out.push(spaces(random(3)));
  if (random(8) === 0) out.push(`${spaces(random(2) === 0 ? indent : random(6))}# note`);
  out.push(`${text}${random(6) === 0 ? '  # trailing' : ''}`);
}

/** A block scalar's body lines at `indent` (empty lines sometimes holding a few spaces). */
function renderBody(render: Render, body: string[], indent: number): void {
  for (const line of body) {
    if (line !== '') render.out.push(`${spaces(indent)}${line}`);
    else render.out.push(render.random(3) === 0 ? spaces(render.random(indent + 2)) : '');
  }
}

function renderMap(render: Render, entries: Array<[string, Tree]>, indent: number, first?: string): void {
  entries.forEach(([key, value], i) => {
    const lead = i === 0 && first !== undefined ? first : spaces(indent);
    if ('scalar' in value) emit(render, indent, `${lead}${key}: ${value.scalar}`);
    else if ('block' in value) {
      emit(render, indent, `${lead}${key}: ${value.block}`);
      renderBody(render, value.body, indent + render.width);
    } else {
      emit(render, indent, `${lead}${key}:`);
      const sameColumn = 'seq' in value && render.random(2) === 0;
      renderTree(render, value, sameColumn ? indent : indent + render.width);
    }
  });
}

function renderTree(render: Render, tree: Tree, indent: number): void {
  if ('scalar' in tree) emit(render, indent, `${spaces(indent)}${tree.scalar}`);
  else if ('block' in tree) {
    emit(render, indent, `${spaces(indent)}${tree.block}`);
    renderBody(render, tree.body, indent + render.width);
  } else if ('map' in tree) renderMap(render, tree.map, indent);
  else {
    for (const item of tree.seq) {
      if ('scalar' in item) emit(render, indent, `${spaces(indent)}- ${item.scalar}`);
      else if ('block' in item) {
        emit(render, indent, `${spaces(indent)}- ${item.block}`);
        renderBody(render, item.body, indent + 1 + render.random(render.width + 1));
      } else if ('map' in item && render.random(3) > 0) {
        const gap = 1 + render.random(2);
        renderMap(render, item.map, indent + 1 + gap, `${spaces(indent)}-${spaces(gap)}`);
      } else {
        emit(render, indent, `${spaces(indent)}-`);
        renderTree(render, item, indent + render.width);
      }
    }
  }
}

/** Renders documents as one stream (`---` between them, sometimes an empty one). */
export function renderStream(trees: Tree[], seed: number): string {
  const random = createRandom(seed);
  const out: string[] = [];
  trees.forEach((tree, i) => {
    if (i > 0 || random(4) === 0) out.push('---');
    if (random(6) === 0) out.push('---');
    renderTree({ random, width: 1 + random(4), out }, tree, 0);
  });
  return out.join('\n') + (random(5) === 0 ? '' : '\n');
}

/** Block-YAML streams of one to three documents. */
export const streamArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.array(treeArbitrary, { minLength: 1, maxLength: 3 }), fc.integer())
  .map(([trees, seed]) => renderStream(trees, seed));

const MUTATIONS = [
  ' ',
  '  ',
  '\n',
  '-',
  '- ',
  ':',
  ': ',
  '#',
  ' #',
  '"',
  "'",
  '[',
  '{',
  ']',
  '}',
  ',',
  ', ',
  '{}',
  '[]',
  '&a ',
  '*a',
  '!',
  '|',
  '>',
  '\t',
  '\r',
  '---\n',
  '...',
  '%',
  '? ',
  'x',
  '\\',
  '\u00a0',
  '\ufeff',
];

/** `text` with one span replaced by a YAML-significant string. */
export function mutate(text: string, at: number, length: number, insert: number): string {
  const start = text.length === 0 ? 0 : at % (text.length + 1);
  return text.slice(0, start) + MUTATIONS[insert % MUTATIONS.length] + text.slice(start + (length % 3));
}
