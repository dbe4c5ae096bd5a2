# The ar-mirror CLI as a container image, for Cloud Build steps, Cloud Run jobs and CI systems
# without Node. The CLI is one bundled file with no runtime dependencies, so the image is the
# Node base plus that file: build it after `npm run build` (the release workflow does).
#
#   docker build -t ar-mirror .
#   docker run --rm -v "$PWD:/work:ro" ar-mirror scan . --json
#   docker run --rm -v "$PWD:/work" --user "$(id -u):$(id -g)" ar-mirror migrate . --to LOCATION-docker.pkg.dev/PROJECT/REPOSITORY
#
# The base is pinned by digest (the tag is kept for readers); Renovate or Dependabot move it.
FROM node:22-alpine@sha256:8094c002d08262dba12645a3b4a15cd6cd627d30bc782f53229a2ec13ee22a00

LABEL org.opencontainers.image.title="ar-mirror" \
      org.opencontainers.image.description="Mirror third-party container images into Google Artifact Registry and pin the references" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/OWNER/ar-mirror"

ENV NODE_ENV=production
# Root-owned and not writable by the user the CLI runs as.
COPY dist/cli.js /opt/ar-mirror/cli.js
COPY dist/cli-chunks/ /opt/ar-mirror/cli-chunks/
COPY schema/ar-mirror.schema.json /opt/ar-mirror/schema/ar-mirror.schema.json

# The tree to scan or migrate is mounted here.
WORKDIR /work
# The node images' unprivileged `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
ENTRYPOINT ["node", "/opt/ar-mirror/cli.js"]
CMD ["--help"]
