#!/usr/bin/env node
// The `eventlake` command: loads the TypeScript CLI through tsx's ESM loader (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
