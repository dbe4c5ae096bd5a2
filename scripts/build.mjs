// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into single ESM files so the
// runner needs no node_modules and the npm package has no runtime dependencies. A banner
// recreates `require` because some CommonJS dependencies (google-auth-library's transitive deps)
// call it at runtime. The package version is defined at build time (src/version.ts).
//
//   node scripts/build.mjs                           both bundles into dist/
//   node scripts/build.mjs --cli-only --out-dir DIR  the CLI only, into DIR/cli.js (packaging tests)
import { readFileSync } from 'node:fs';
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
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: `${values['out-dir']}/cli.js`,
  banner: { js: `#!/usr/bin/env node\n${banner}` },
});
