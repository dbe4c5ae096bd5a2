import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  DEFAULT_PATH_TEMPLATE,
  DOCKER_HUB,
  destinationFor,
  parseDestination,
  tryParseReference,
  validatePathTemplate
} from "./chunk-FHORZPU6.js";
import {
  ConfigError
} from "./chunk-P3YMENVP.js";

// src/platform/mirror-target.ts
function parseMirrorTarget(destination, pathTemplate = DEFAULT_PATH_TEMPLATE) {
  const prefix = parseDestination(destination);
  validatePathTemplate(pathTemplate);
  return {
    destination: `${prefix.host}${prefix.path ? `/${prefix.path}` : ""}`,
    host: prefix.host,
    path: prefix.path,
    pathTemplate
  };
}
function mirrorReference(ref, target) {
  const repository = destinationFor(ref, {
    destination: target.destination,
    pathTemplate: target.pathTemplate
  });
  return { ...ref, registry: target.host, repository: repository.slice(target.host.length + 1) };
}
function isInMirror(ref, target) {
  if (ref.registry.toLowerCase() !== target.host) return false;
  return target.path === "" || ref.repository.startsWith(`${target.path}/`);
}
var PATTERNS = {
  registry: "([^/]+)",
  repository: "(.+)",
  path: "(.+)",
  name: "([^/]+)",
  namespace: "(.+)"
};
function sourceOf(mirror, target) {
  if (!isInMirror(mirror, target) || !target.pathTemplate.includes("{registry}")) return void 0;
  const under = target.path === "" ? mirror.repository : mirror.repository.slice(target.path.length + 1);
  const names = [];
  const source = target.pathTemplate.replace(/\{([a-z]+)\}|[^{]+/g, (token, variable) => {
    if (variable === void 0) return token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    names.push(variable);
    return PATTERNS[variable] ?? "()";
  });
  const match = new RegExp(`^${source}$`).exec(under);
  if (!match) return void 0;
  const value = (name) => names.includes(name) ? match[names.indexOf(name) + 1] : void 0;
  const registryPart = value("registry") ?? "";
  for (const registry of registryCandidates(registryPart)) {
    for (const repository of repositoryCandidates(registry, value)) {
      const parsed = tryParseReference(`${registry}/${repository}:probe`);
      if (!parsed.ok || parsed.reference.repository !== repository) continue;
      const candidate = { ...mirror, registry: parsed.reference.registry, repository };
      if (forwardMatches(candidate, mirror, target)) return candidate;
    }
  }
  return void 0;
}
function registryCandidates(part) {
  const port = /^(.+)-(\d{1,5})$/.exec(part);
  return port ? [`${port[1]}:${port[2]}`, part] : [part];
}
function repositoryCandidates(registry, value) {
  const repository = value("repository");
  if (repository !== void 0) return [repository];
  const path = value("path");
  if (path !== void 0)
    return registry === DOCKER_HUB && !path.includes("/") ? [`library/${path}`, path] : [path];
  const name = value("name");
  const namespace = value("namespace");
  if (name === void 0) return [];
  return [namespace ? `${namespace}/${name}` : name];
}
function forwardMatches(candidate, mirror, target) {
  try {
    const forward = mirrorReference(candidate, target);
    return forward.registry === mirror.registry.toLowerCase() && forward.repository === mirror.repository;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}

export {
  parseMirrorTarget,
  mirrorReference,
  isInMirror,
  sourceOf
};
