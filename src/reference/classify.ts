/**
 * Registries that are the team's own and never mirrored: Artifact Registry (every region's
 * `*-docker.pkg.dev` and other `*.pkg.dev` formats) and Container Registry (`gcr.io`, `*.gcr.io`).
 */
export const DEFAULT_FIRST_PARTY: readonly string[] = ['*.pkg.dev', 'gcr.io', '*.gcr.io'];

/**
 * True when `registry` matches one of `patterns`. A pattern is a host (`registry.example.com`,
 * `localhost:5000`) or a wildcard suffix (`*.example.com` matches any subdomain, not the apex).
 * A pattern with a path prefix (`ghcr.io/my-org`) matches repositories under that path when
 * `repository` is given. Hosts compare case-insensitively.
 */
export function matchesRegistry(patterns: readonly string[], registry: string, repository = ''): boolean {
  const host = registry.toLowerCase();
  return patterns.some((pattern) => {
    const slash = pattern.indexOf('/');
    const patternHost = (slash >= 0 ? pattern.slice(0, slash) : pattern).toLowerCase();
    const patternPath = slash >= 0 ? pattern.slice(slash + 1).replace(/\/+$/, '') : '';
    const hostMatches = patternHost.startsWith('*.')
      ? host.endsWith(patternHost.slice(1)) && host.length > patternHost.length - 1
      : host === patternHost;
    if (!hostMatches) return false;
    if (patternPath === '') return true;
    return repository === patternPath || repository.startsWith(`${patternPath}/`);
  });
}

/**
 * True when an image from `registry/repository` is third-party, i.e. should be mirrored.
 * `firstParty` extends the defaults (configuration and the mirror destination add to it).
 */
export function isThirdParty(
  registry: string,
  repository: string,
  firstParty: readonly string[] = [],
): boolean {
  return !matchesRegistry([...DEFAULT_FIRST_PARTY, ...firstParty], registry, repository);
}
