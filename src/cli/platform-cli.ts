#!/usr/bin/env node
// `npm run cli`: the runtime is checked before the commands (and everything they import) are loaded.
import { exitOnUnsupportedNode } from '../runtime-check.js';

exitOnUnsupportedNode();
await import('./platform.commands.js');
