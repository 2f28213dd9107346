/** A mistake in how the CLI was called: main.ts prints the message with the usage and exits 2. */
export class UsageError extends Error {}
