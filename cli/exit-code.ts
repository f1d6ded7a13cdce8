// An error a command reports like any other but with an exit code of its own, overriding main()'s mapping.

/**
 * Wraps `error` so that main() prints it as usual (`eventlake: CODE: message` on stderr) and exits `exitCode`.
 * Why: a command whose exit 1 already means something else (`eventlake check`: checked, not whole) must not exit 1
 * for an error too, or scripts cannot tell its answer from its failure.
 */
export class ExitCodeError extends Error {
  constructor(readonly exitCode: number, readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
    this.name = 'ExitCodeError';
  }
}
