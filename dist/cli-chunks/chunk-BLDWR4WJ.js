import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/registry/credentials/google.ts
var CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
function createStaticTokenSource(token) {
  return { getAccessToken: async () => token };
}
var TOKEN_LIKE = /[A-Za-z0-9_\-.~+/=]{40,}/g;
function redactTokens(message) {
  return (message.split("\n")[0] ?? "").replace(TOKEN_LIKE, "[redacted]").slice(0, 300);
}
function createAdcTokenSource(options = {}) {
  const env = options.env ?? process.env;
  const keyFilename = env.GOOGLE_APPLICATION_CREDENTIALS || void 0;
  const create = async () => {
    const { GoogleAuth } = await import("./src-5XLW37JL.js");
    return new GoogleAuth({ scopes: options.scopes ?? [CLOUD_PLATFORM_SCOPE], keyFilename });
  };
  let auth;
  return {
    async getAccessToken(request = {}) {
      if (request.refresh || !auth) auth = create();
      let token;
      try {
        token = await (await auth).getAccessToken();
      } catch (err) {
        const where = keyFilename ? `the credentials file ${keyFilename}` : "Application Default Credentials";
        throw new MirrorError(
          `could not get a Google access token from ${where}: ${redactTokens(errorMessage(err))}`
        );
      }
      if (!token) throw new MirrorError("Google Application Default Credentials returned no access token");
      return token;
    }
  };
}

export {
  CLOUD_PLATFORM_SCOPE,
  createStaticTokenSource,
  redactTokens,
  createAdcTokenSource
};
