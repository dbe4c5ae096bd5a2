#!/usr/bin/env node
import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);

// src/cli.ts
process.stderr.write("usage: ar-mirror scan|copy|migrate ...\n");
process.exitCode = 2;
