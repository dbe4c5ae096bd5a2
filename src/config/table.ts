/**
 * THE list of settings: each one is declared here once, with its key, type, description and
 * default. resolveSettings (config.ts) validates with it, parseConfigFile (file.ts) checks the
 * config file's value types with it, and generateConfigSchema (schema.ts) turns it into
 * schema/ar-mirror.schema.json, so the validator and the schema cannot drift apart.
 *
 * To add a setting:
 *   1. add the field, with its doc comment and "Default: …", to `Settings` in types.ts;
 *   2. add one row below (the type checker refuses a Settings field without a row, and a default
 *      of the wrong type); rows are listed in the order the docs list them;
 *   3. if it is an action input, add it to action.yml (without `default:`, see the comment there);
 *   4. `npm run build` regenerates the schema; commit schema/ar-mirror.schema.json.
 * A new kind of value (say, a duration) is a new SettingType member, handled in
 * config.ts parseSetting and in schema.ts typeSchema.
 */
import { DEFAULT_PATH_TEMPLATE } from '../plan/destination.js';
import { FAIL_ON, MODES, type Settings } from './types.js';
import { DEFAULT_JOBS, DEFAULT_TIMEOUT_MS, JOBS_RANGE, type WholeNumberRange } from './values.js';

/** How a setting's raw value is parsed (config.ts parseSetting) and described (schema.ts). */
export type SettingType =
  /** A registry prefix `host[:port][/path]`. */
  | { kind: 'destination' }
  | { kind: 'string' }
  /** `true`/`false`; inputs and flags give them as text. */
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'whole-number'; range: WholeNumberRange }
  /** A timeout: `90s`, `30m`, `2h` (seconds without a unit), from 1 s to 24 h; parsed to milliseconds. */
  | { kind: 'timeout' }
  /** A YAML sequence, or text with one item per line or comma (commas inside `{}` do not split). */
  | { kind: 'list'; items: 'text' | 'glob' | 'platform' }
  /** `HOST=USERNAME:PASSWORD` lines (a secret: never in the config file). */
  | { kind: 'credentials' }
  /** `0` or a whole number of minutes, hours, days or weeks (`90m`, `3d`), in milliseconds. */
  | { kind: 'duration' };

/** One setting. */
export interface SettingDefinition<F extends keyof Settings = keyof Settings> {
  /** The kebab-case name shared by the action input, the config-file key and (mostly) the CLI flag. */
  key: string;
  /** The Settings field it fills. */
  field: F;
  type: SettingType;
  /** One or two sentences, shown by editors from the schema. */
  description: string;
  /** The value when no source gives one (also the schema's `default`); undefined means required. */
  default: Settings[F] | undefined;
  /** Example values for the schema and the "is required" message. Default: none. */
  examples?: readonly string[];
  /** False for secrets: the config file may not hold them and the schema leaves them out. Default: true. */
  inFile?: boolean;
}

/** Every setting, by Settings field; the mapped type makes a missing row a compile error. */
export const SETTINGS: { readonly [F in keyof Settings]: SettingDefinition<F> } = {
  destination: {
    key: 'destination',
    field: 'destination',
    type: { kind: 'destination' },
    description:
      'Artifact Registry repository (or any registry prefix) to mirror into: LOCATION-docker.pkg.dev/PROJECT/REPOSITORY. Required here or as the action input.',
    default: undefined,
    examples: ['us-docker.pkg.dev/PROJECT/REPOSITORY'],
  },
  mode: {
    key: 'mode',
    field: 'mode',
    type: { kind: 'enum', values: MODES },
    description:
      'commit (copy, then one follow-up commit), suggest (copy, then a review with suggestions), copy (copy only), report (no copy, no write).',
    default: 'commit',
  },
  pinDigest: {
    key: 'pin-digest',
    field: 'pinDigest',
    type: { kind: 'boolean' },
    description: 'Rewrite to tag@sha256:… (true) or keep the tag only (false).',
    default: true,
  },
  pathTemplate: {
    key: 'path-template',
    field: 'pathTemplate',
    type: { kind: 'string' },
    description:
      'Path of a mirrored image under the destination; variables {registry}, {repository}, {path}, {namespace}, {name}.',
    default: DEFAULT_PATH_TEMPLATE,
  },
  platforms: {
    key: 'platforms',
    field: 'platforms',
    type: { kind: 'list', items: 'platform' },
    description: 'os/arch[/variant] to copy; empty copies every platform (and keeps the digest).',
    default: [],
  },
  signatures: {
    key: 'signatures',
    field: 'signatures',
    type: { kind: 'boolean' },
    description: 'Also copy cosign signatures, attestations, SBOMs and OCI referrers.',
    default: true,
  },
  include: {
    key: 'include',
    field: 'include',
    type: { kind: 'list', items: 'glob' },
    description:
      'Globs of files to scan, read in order; "!pattern" takes back what earlier patterns matched. Empty scans every file a finder reads.',
    default: [],
  },
  exclude: {
    key: 'exclude',
    field: 'exclude',
    type: { kind: 'list', items: 'glob' },
    description:
      'Globs of files never to scan, read in order; "!pattern" takes back what earlier patterns matched.',
    default: [],
  },
  allowRegistries: {
    key: 'allow-registries',
    field: 'allowRegistries',
    type: { kind: 'list', items: 'text' },
    description:
      'When set, only images from these registries are mirrored; others are reported as unmirrored.',
    default: [],
  },
  firstPartyRegistries: {
    key: 'first-party-registries',
    field: 'firstPartyRegistries',
    type: { kind: 'list', items: 'text' },
    description:
      'Registries (host, *.suffix or host/path prefix) that are never mirrored, besides *.pkg.dev and gcr.io.',
    default: [],
  },
  ignoreImages: {
    key: 'ignore-images',
    field: 'ignoreImages',
    type: { kind: 'list', items: 'glob' },
    description: 'Image globs (e.g. docker.io/library/busybox*) never to mirror; "!pattern" takes one back.',
    default: [],
  },
  registryCredentials: {
    key: 'registry-credentials',
    field: 'registryCredentials',
    type: { kind: 'credentials' },
    description:
      'Credentials for private source registries, one HOST=USERNAME:PASSWORD per line. Input only.',
    default: {},
    inFile: false,
  },
  createRepository: {
    key: 'create-repository',
    field: 'createRepository',
    type: { kind: 'boolean' },
    description: 'Create the Artifact Registry repository if it does not exist.',
    default: false,
  },
  failOn: {
    key: 'fail-on',
    field: 'failOn',
    type: { kind: 'enum', values: FAIL_ON },
    description:
      'error (fail on errors), unmirrored (also fail when a new third-party image stays unmirrored), never.',
    default: 'error',
  },
  scanAll: {
    key: 'scan-all',
    field: 'scanAll',
    type: { kind: 'boolean' },
    description: 'Mirror every third-party reference in the changed files, not only the new ones.',
    default: false,
  },
  jobs: {
    key: 'jobs',
    field: 'jobs',
    type: { kind: 'whole-number', range: JOBS_RANGE },
    description: 'Concurrent blob transfers per copy.',
    default: DEFAULT_JOBS,
  },
  timeoutMs: {
    key: 'timeout',
    field: 'timeoutMs',
    type: { kind: 'timeout' },
    description:
      "How long one image's copy (signatures included) may take before it is abandoned: 90s, 30m, 2h.",
    default: DEFAULT_TIMEOUT_MS,
    examples: ['30m'],
  },
  refreshOnly: {
    key: 'refresh-only',
    field: 'refreshOnly',
    type: { kind: 'list', items: 'glob' },
    description: 'Refresh follows only mirrored images matching these globs (registry/repository[:tag]).',
    default: [],
  },
  refreshIgnore: {
    key: 'refresh-ignore',
    field: 'refreshIgnore',
    type: { kind: 'list', items: 'glob' },
    description: 'Refresh never follows mirrored images matching these globs.',
    default: [],
  },
  refreshMinAge: {
    key: 'refresh-min-age',
    field: 'refreshMinAge',
    type: { kind: 'duration' },
    description:
      'Refresh takes a new upstream digest only once it is this old by its build time, e.g. 3d (units m, h, d, w).',
    default: 0,
    examples: ['3d'],
  },
};

/** The rows in table order. */
export const SETTING_LIST: readonly SettingDefinition[] = Object.values(SETTINGS);

/** The row of a kebab-case key, or undefined. */
export function settingByKey(key: string): SettingDefinition | undefined {
  return SETTING_LIST.find((setting) => setting.key === key);
}
