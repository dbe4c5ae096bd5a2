// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into single ESM files so the
// runner needs no node_modules. A banner recreates `require` because some CommonJS dependencies
// (google-auth-library's transitive deps) call it at runtime.
import { build } from 'esbuild';

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
  legalComments: 'none',
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  banner: { js: `#!/usr/bin/env node\n${banner}` },
});
