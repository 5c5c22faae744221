/**
 * An error in what the user gave the command line (arguments, config, data files): the CLI prints its
 * one-line message to stderr and exits with code 2, without a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, " "));
    this.name = "UsageError";
  }
}
