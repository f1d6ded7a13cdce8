// main() is called many times in one process by in-process tests: it must not add a stdout listener per call.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../cli/main.ts';

test('calling main() again adds no stdout error listener', async () => {
  await main(['--version']);
  const after1 = process.stdout.listenerCount('error');
  for (let i = 0; i < 12; i++) await main(['--version']);
  assert.is(process.stdout.listenerCount('error'), after1);
});

test.run();
