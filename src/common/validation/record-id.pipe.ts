import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ValidationProblemError } from '../problem/problem.error.js';
import { RECORD_ID_PATTERN } from './formats.js';

/** A record id in the path: letters, digits, `.`, `_`, `:`, `-`, at most 128 characters; else 400. */
@Injectable()
export class RecordIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!RECORD_ID_PATTERN.test(value)) {
      throw new ValidationProblemError([
        { field: metadata.data ?? 'id', message: 'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
      ]);
    }
    return value;
  }
}
