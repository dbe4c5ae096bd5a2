/**
 * Preloaded (`node --import`) by bench/startup.ts into a copy of dist/cli.js whose esbuild module
 * wrappers were patched to push each module's path to `globalThis.__arMirrorEvaluated` when it is
 * first evaluated. At exit, writes those paths and the Node built-in modules loaded to the file
 * named by AR_MIRROR_PROBE_OUT.
 */
import { writeFileSync } from 'node:fs';

globalThis.__arMirrorEvaluated = [];
process.on('exit', () => {
  const out = process.env.AR_MIRROR_PROBE_OUT;
  if (!out) return;
  const builtins = process.moduleLoadList
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => entry.slice('NativeModule '.length));
  writeFileSync(out, JSON.stringify({ evaluated: globalThis.__arMirrorEvaluated, builtins }));
});
