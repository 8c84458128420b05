import { AppError } from '../../domain/errors.ts';

/** A file or choice that cannot be imported (400); nothing was written. */
export class ImportError extends AppError {}
