#!/usr/bin/env node
// The `eventlake` command: loads the TypeScript CLI through tsx's ESM loader (no build step to forget).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
