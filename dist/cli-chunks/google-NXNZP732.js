import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  CLOUD_PLATFORM_SCOPE,
  createAdcTokenSource,
  createStaticTokenSource,
  redactTokens
} from "./chunk-BLDWR4WJ.js";
import "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";
export {
  CLOUD_PLATFORM_SCOPE,
  createAdcTokenSource,
  createStaticTokenSource,
  redactTokens
};
