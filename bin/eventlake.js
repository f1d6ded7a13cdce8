#!/usr/bin/env node
// The `eventlake` command: loads the TypeScript CLI through tsx's ESM loader (no build step to forget).
import { register } from 'tsx/esm/api';

// The AWS SDK warns about Node versions it will drop; that is the operator's runtime, not a CLI user's problem.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../cli/cli.ts');
process.exitCode = await main(process.argv.slice(2));
