/**
 * docker's confirmation prompt ("Are you sure you want to continue? [y/N] "): reads one line of
 * stdin; anything but y/yes declines, and a non-interactive EOF declines too.
 */
import { createInterface } from 'node:readline';
import type { Cli } from './cli.js';

export async function confirm(cli: Cli, message: string): Promise<boolean> {
  cli.out(`${message} [y/N] `);
  const rl = createInterface({ input: process.stdin });
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  const ok = /^(y|yes)$/i.test(line.trim());
  return ok;
}
