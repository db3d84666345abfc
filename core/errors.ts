// A UserError is a mistake the user can fix (bad YAML, a missing flag, no credentials).
// The CLI prints it without a stack trace: what is wrong, where, and how to fix it.

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

export class UserError extends Error {
  readonly location: ErrorLocation;
  readonly hint: string | undefined;
  /** Process exit code the CLI uses for this error (2 = usage or input error). */
  readonly exitCode: number;

  constructor(message: string, options: { location?: ErrorLocation; hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'UserError';
    this.location = options.location ?? {};
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }

  /** "file:line:col (field)" or "" when nothing is known. */
  where(): string {
    const { file, line, column, field } = this.location;
    let at = file ?? '';
    if (file && line !== undefined) at += `:${line}`;
    if (file && line !== undefined && column !== undefined) at += `:${column}`;
    if (field) at += at ? ` (field ${field})` : `field ${field}`;
    return at;
  }

  /** The full message as printed to a user. */
  format(): string {
    const where = this.where();
    const head = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${head}\n  hint: ${this.hint}` : head;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
