/**
 * Node-level registry mirror configuration pointing at the mirror (pure): containerd
 * `hosts.toml` files (one per mirrored registry), a CRI-O/podman `registries.conf` (v2) file and a
 * bare-metal cluster `registryMirrors` block. ar-mirror's layout DEST/<registry>/<repository> is
 * what a per-registry mirror needs: DEST/docker.io serves `docker.io/library/nginx` as
 * `library/nginx`. Each file says how nodes authenticate to Artifact Registry.
 */
import { ConfigError } from '../errors.js';
import { DOCKER_HUB } from '../reference/index.js';
import { type MirrorTarget, mirrorReference } from './mirror-target.js';

/** The three output formats. */
export type RuntimeFormat = 'containerd' | 'cri-o' | 'bare-metal';

/** A file to write: a path relative to the output directory, and its text. */
export interface RuntimeFile {
  path: string;
  content: string;
}

/** One mirrored registry and where the mirror serves it. */
export interface RegistryMirror {
  /** As in references: `docker.io`, `quay.io`, `registry.k8s.io`. */
  registry: string;
  /** `HOST/PATH` holding that registry's repositories (`us-docker.pkg.dev/p/r/docker.io`). */
  mirrorPath: string;
}

const REGISTRY = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

/**
 * Where the mirror serves each registry. The path template must map a registry's repositories
 * under one prefix unchanged ({registry}/{repository} does; {path} or {name} do not), else a
 * mirror cannot ask for `library/nginx` under it. Throws ConfigError naming what is wrong.
 */
export function registryMirrors(target: MirrorTarget, registries: readonly string[]): RegistryMirror[] {
  return registries.map((registry) => {
    if (!REGISTRY.test(registry))
      throw new ConfigError(`--registries: "${registry.slice(0, 100)}" is not a registry host`);
    const prefixes = ['library/probe', 'a/b/probe'].map((repository) => {
      const mirror = mirrorReference({ registry, repository, tag: 'latest', digest: undefined }, target);
      return mirror.repository.endsWith(`/${repository}`)
        ? mirror.repository.slice(0, -repository.length - 1)
        : undefined;
    });
    if (prefixes[0] === undefined || prefixes[0] !== prefixes[1])
      throw new ConfigError(
        `path-template "${target.pathTemplate}" does not keep a registry's repositories under one prefix; a runtime mirror needs {registry}/{repository}`,
      );
    return { registry, mirrorPath: `${target.host}/${prefixes[0]}` };
  });
}

/** The upstream `server` of a registry (Docker Hub's API lives at registry-1.docker.io). */
function upstreamServer(registry: string): string {
  return registry === DOCKER_HUB ? 'https://registry-1.docker.io' : `https://${registry}`;
}

const comment = (lines: readonly string[]) => lines.map((line) => `# ${line}`.trimEnd()).join('\n');

/** Options of {@link renderRuntimeConfig}. */
export interface RenderOptions {
  format: RuntimeFormat;
  mirrors: readonly RegistryMirror[];
  /** The mirror is spoken to over plain HTTP (a local test registry). Default: false. */
  plainHttp?: boolean;
}

/** The files of one format. */
export function renderRuntimeConfig(options: RenderOptions): RuntimeFile[] {
  const scheme = options.plainHttp ? 'http' : 'https';
  if (options.format === 'containerd') return options.mirrors.map((m) => containerdHosts(m, scheme));
  if (options.format === 'cri-o')
    return [{ path: 'ar-mirror.conf', content: registriesConf(options.mirrors, options.plainHttp ?? false) }];
  return [{ path: 'registry-mirrors.yaml', content: bareMetal(options.mirrors, scheme) }];
}

/** The host part of a mirror path. */
const mirrorHost = (m: RegistryMirror) => m.mirrorPath.split('/')[0]!;

function containerdHosts(m: RegistryMirror, scheme: string): RuntimeFile {
  const [host, ...path] = m.mirrorPath.split('/');
  const endpoint = `${scheme}://${host}/v2/${path.join('/')}`;
  const content = `${comment([
    `containerd ${'>'}= 1.5 registry host configuration for ${m.registry}, written by ar-mirror.`,
    `Install as <config_path>/${m.registry}/hosts.toml (config_path is usually /etc/containerd/certs.d;`,
    `ctr images pull --hosts-dir DIR reads the same files). Pulls of ${m.registry}/... try the mirror`,
    'first and fall back to the upstream server when the mirror lacks the image.',
    '',
    'Authentication: containerd sends the mirror the credentials it holds for the mirror host, not',
    `those of ${m.registry}. Artifact Registry accepts Basic oauth2accesstoken:<access token> (a`,
    'token from the metadata server, valid about an hour, so refresh it) or a service account key',
    'as _json_key:<key JSON> (long-lived; avoid). One way is a header kept fresh by a node job:',
    `  [host."${endpoint}".header]`,
    '    authorization = "Basic <base64 of oauth2accesstoken:TOKEN>"',
  ])}
server = "${upstreamServer(m.registry)}"

[host."${endpoint}"]
  capabilities = ["pull", "resolve"]
  override_path = true
`;
  return { path: `${m.registry}/hosts.toml`, content };
}

function registriesConf(mirrors: readonly RegistryMirror[], plainHttp: boolean): string {
  const hosts = [...new Set(mirrors.map(mirrorHost))];
  const header = comment([
    'containers-registries.conf(5) v2 mirrors for CRI-O, podman, buildah and skopeo, written by ar-mirror.',
    'Install as /etc/containers/registries.conf.d/ar-mirror.conf (or pass --registries-conf).',
    'Pulls try the mirror first and fall back to the registry itself.',
    '',
    `Authentication: credentials are looked up for the mirror host (${hosts.join(', ')}) in the`,
    'auth file (/run/containers/0/auth.json, $REGISTRY_AUTH_FILE, or CRI-O global_auth_file):',
    `  printf %s "$TOKEN" | podman login -u oauth2accesstoken --password-stdin ${hosts[0] ?? 'HOST'}`,
    'with a short-lived access token (refresh it), or a credHelpers entry for docker-credential-gcr.',
  ]);
  const blocks = mirrors.map(
    (m) => `[[registry]]
prefix = "${m.registry}"
location = "${m.registry}"

[[registry.mirror]]
location = "${m.mirrorPath}"${plainHttp ? '\ninsecure = true' : ''}
`,
  );
  return `${header}\n\n${blocks.join('\n')}`;
}

function bareMetal(mirrors: readonly RegistryMirror[], scheme: string): string {
  const header = comment([
    'registryMirrors for a bare-metal cluster configuration file, written by ar-mirror: one',
    'entry per mirrored registry, since each registry lives under its own path of the mirror.',
    'containerd on the nodes then tries the mirror first for the listed hosts.',
    '',
    'Authentication: nodes outside Google Cloud have no metadata server. pullCredentialConfigPath',
    'names a Docker config.json on the admin workstation whose "auths" entry for the mirror host',
    'holds _json_key:<service account key JSON> (a key with roles/artifactregistry.reader on the',
    'repository). Artifact Registry uses a public CA, so caCertPath is not needed.',
  ]);
  const entries = mirrors.map((m) => {
    const [host, ...path] = m.mirrorPath.split('/');
    return `  - endpoint: ${scheme}://${host}/v2/${path.join('/')}
    pullCredentialConfigPath: /path/to/ar-mirror-docker-config.json
    hosts:
      - ${m.registry}`;
  });
  return `${header}\nregistryMirrors:\n${entries.join('\n')}\n`;
}
