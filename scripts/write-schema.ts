/**
 * Writes schema/ar-mirror.schema.json from the settings table (run by `npm run build`). The file
 * is checked in and published with the package; a test fails when it differs from this output.
 */
import { writeFileSync } from 'node:fs';
import { renderConfigSchema } from '../src/config/schema.js';

writeFileSync(new URL('../schema/ar-mirror.schema.json', import.meta.url), renderConfigSchema());
