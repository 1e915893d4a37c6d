import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A throw-away project: `root` has a package.json (the search's stop), `nested` is two levels below. */
export interface TempProject {
  readonly outside: string;
  readonly root: string;
  readonly nested: string;
  /** Writes a file relative to the project root, creating its directories. */
  write(relative: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function makeTempProject(packageJson: object = { name: 'app', private: true }): Promise<TempProject> {
  const outside = await mkdtemp(path.join(os.tmpdir(), 'understudy-config-'));
  const root = path.join(outside, 'project');
  const nested = path.join(root, 'src', 'agents');
  await mkdir(nested, { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify(packageJson));
  return {
    outside,
    root,
    nested,
    async write(relative, content) {
      const file = path.join(root, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(outside, { recursive: true, force: true }),
  };
}

/** Runs `action` and returns the error it throws (failing the test if it does not throw). */
export async function thrown(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but none was thrown');
}
