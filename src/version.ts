/**
 * The package version, put into the bundles at build time by esbuild's `define`
 * (scripts/build.mjs reads it from package.json), so the CLI never reads package.json from disk.
 * Unbundled runs (tsx, tests importing src/) have no define and say `0.0.0-dev`.
 */
declare const __AR_MIRROR_VERSION__: string | undefined;

/** The version of this build. Default (unbundled): `0.0.0-dev`. */
export const VERSION: string =
  typeof __AR_MIRROR_VERSION__ === 'string' ? __AR_MIRROR_VERSION__ : '0.0.0-dev';
