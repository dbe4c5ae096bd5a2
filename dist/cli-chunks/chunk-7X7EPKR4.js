import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  computeDigest,
  createConnectionPool,
  createRegistryClient
} from "./chunk-PD2CQFDG.js";
import {
  formatReference,
  parseDigest,
  parseManifestReference,
  parseRepository,
  parseTag
} from "./chunk-FHORZPU6.js";
import {
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/commands/registry-reader.ts
var CONFIG_LIMIT = 1024 * 1024;
function createRegistryReader(options) {
  const pool = createConnectionPool({ connections: 8 });
  const modified = /* @__PURE__ */ new Map();
  const observe = (req, res) => {
    const stamp = res.headers["last-modified"];
    if (stamp && /\/manifests\/[^/]+$/.test(new URL(req.url).pathname))
      modified.set(req.url, stamp.slice(0, 100));
  };
  const clients = /* @__PURE__ */ new Map();
  const client = (ref) => {
    const key = `${ref.registry}/${ref.repository}`;
    let found = clients.get(key);
    if (!found) {
      found = createRegistryClient({
        registry: ref.registry,
        scopes: [`repository:${ref.repository}:pull`],
        repositories: [ref.repository],
        keychain: options.keychain,
        pool,
        observe,
        plainHttp: options.plainHttp ?? [],
        ...options.endpoints ? { endpoints: options.endpoints } : {},
        logger: options.logger
      });
      clients.set(key, found);
    }
    return found;
  };
  return {
    head: (ref) => client(ref).headManifest(
      parseRepository(ref.repository),
      ref.digest ? parseDigest(ref.digest) : parseTag(ref.tag ?? "latest")
    ),
    manifest: (ref, reference) => client(ref).getManifest(parseRepository(ref.repository), parseManifestReference(reference)),
    async jsonBlob(ref, digest) {
      const expected = parseDigest(digest, `blob of ${formatReference(ref)}`);
      const bytes = await client(ref).readBlob(parseRepository(ref.repository), expected, CONFIG_LIMIT).catch((err) => {
        throw new MirrorError(`blob ${digest} of ${formatReference(ref)}: ${errorMessage(err)}`, {
          cause: err
        });
      });
      if (computeDigest(bytes, expected) !== expected)
        throw new MirrorError(`blob ${digest} of ${formatReference(ref)} has another digest`);
      return JSON.parse(bytes.toString("utf8"));
    },
    lastModified(ref, reference) {
      for (const [url, stamp] of modified)
        if (url.endsWith(`/v2/${ref.repository}/manifests/${reference}`)) return stamp;
      return void 0;
    },
    close: () => pool.close()
  };
}

export {
  createRegistryReader
};
