// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into ESM so the runner needs no
// node_modules and the npm package has no runtime dependencies. The action is one file, as the
// runner loads it once per job. The CLI is split: dist/cli.js holds the command table and each
// command's code sits in dist/cli-chunks/, loaded on first use, so `--version` does not parse
// google-auth-library and `copy` does not parse the scanner (about 50 ms of every start). A banner
// recreates `require` because some CommonJS dependencies (google-auth-library's transitive deps)
// call it at runtime. The package version is defined at build time (src/version.ts).
//
//   node scripts/build.mjs                           both bundles into dist/
//   node scripts/build.mjs --cli-only --out-dir DIR  the CLI only, into DIR/cli.js (packaging tests)
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({
  options: {
    'cli-only': { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: 'dist' },
  },
});
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const banner = [
  "import { createRequire as __arMirrorCreateRequire } from 'node:module';",
  'const require = __arMirrorCreateRequire(import.meta.url);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: banner },
  define: { __AR_MIRROR_VERSION__: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
};

if (!values['cli-only']) {
  await build({ ...common, entryPoints: ['src/index.ts'], outfile: `${values['out-dir']}/index.js` });
}
// Chunk names carry a content hash: stale chunks from an earlier build would linger in git.
rmSync(`${values['out-dir']}/cli-chunks`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: values['out-dir'],
  splitting: true,
  chunkNames: 'cli-chunks/[name]-[hash]',
});
