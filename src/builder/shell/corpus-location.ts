/**
 * Where the tests find BuildKit's Dockerfile corpus (shared/specs/dockerfile-parser): beside the
 * checkout, or under $SKIFF_SHARED_DIR. A missing corpus is a failure, never a skip — a green run
 * without the yardstick would prove nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function corpusDir(): string {
  const shared = process.env['SKIFF_SHARED_DIR'];
  const dir = shared
    ? path.join(shared, 'specs', 'dockerfile-parser')
    : path.resolve(process.cwd(), '../shared/specs/dockerfile-parser');
  if (!existsSync(dir)) {
    throw new Error(
      `Dockerfile parser corpus not found at ${dir}: run the tests from the repository root with ` +
        'shared/ beside it, or set SKIFF_SHARED_DIR to the shared directory',
    );
  }
  return dir;
}
