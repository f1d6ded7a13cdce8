// `npm run synth`: synthesize the stack in-process into cdk.out/ — offline, no CDK CLI, esbuild bundling, cdk-nag on.

import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createApp, runSynth } from './app.ts';
import { PROJECT_ROOT } from './functions.ts';

const started = Date.now();
const outdir = join(PROJECT_ROOT, 'cdk.out');
// A fresh directory: old assets of earlier synths would otherwise pile up.
rmSync(outdir, { recursive: true, force: true });
runSynth(() => {
  const { app } = createApp({ outdir });
  // With cdk-nag registered as a validation plugin, synth throws when a finding is not acknowledged.
  const assembly = app.synth();
  console.log(`synthesized into ${relative(process.cwd(), assembly.directory) || '.'} in ${Date.now() - started} ms`);
  for (const stack of assembly.stacks) {
    const resources = Object.keys((stack.template as { Resources?: object }).Resources ?? {}).length;
    console.log(`  stack ${stack.stackName}: ${stack.templateFile} (${resources} resources)`);
  }
});
