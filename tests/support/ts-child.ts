// How a test starts a child process that runs a test script of its own (a fixture, a child to kill or race): under the
// runner's TypeScript loader, scripts/ts-loader.mjs, not tsx, which costs each process ~0.5 s more CPU to start.
// Children that stand for the product (the CLI, the package entries, scripts/generate-types) keep `--import tsx`.

/** Node arguments that load TypeScript the way the test runner does; put them before the script. */
export const TS_CHILD_ARGS: readonly string[] = ['--import', new URL('../../scripts/ts-loader.mjs', import.meta.url).href];
