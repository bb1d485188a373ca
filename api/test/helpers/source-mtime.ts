import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The newest modification time of the sources a build reads: the given files, and every .ts/.tsx/.css/.html file
 * (tests left out) under the given folders, so browser tests rebuild a page or extension only when it is stale.
 */
export function newestSourceMtime(root: string, sources: { dirs: string[]; files?: string[] }): number {
  let newest = Math.max(0, ...(sources.files ?? []).map((file) => statSync(path.join(root, file)).mtimeMs));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (/\.(tsx?|css|html)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        newest = Math.max(newest, statSync(full).mtimeMs);
      }
    }
  };
  for (const dir of sources.dirs) walk(path.join(root, dir));
  return newest;
}
