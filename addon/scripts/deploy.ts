// npm run deploy:addon — builds for ADDON_API_URL (required: the placeholder is never deployed) and pushes
// dist/addon/ to the Apps Script project named in addon/.clasp.json with clasp. Not run by CI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildAddon, ROOT } from './build.js';

/** clasp 3.4.1 declares Node >= 20 but pulls googleapis releases that declare Node 22, so it is run with npx, not installed. */
const CLASP = '@google/clasp@3.4.1';

async function main() {
  const claspFile = path.join(ROOT, 'addon/.clasp.json');
  if (!existsSync(claspFile)) {
    throw new Error('addon/.clasp.json is missing: create it with {"scriptId": "<your Apps Script project id>"} (see addon/README.md).');
  }
  const { scriptId } = JSON.parse(await readFile(claspFile, 'utf8')) as { scriptId?: string };
  if (!scriptId || !/^[A-Za-z0-9_-]{20,}$/u.test(scriptId)) throw new Error('addon/.clasp.json has no valid "scriptId".');

  const build = await buildAddon({ requireApiUrl: true, log: (line) => process.stdout.write(`deploy:addon: ${line}\n`) });
  if (build.apiUrl.placeholder) throw new Error('Refusing to deploy a build for the placeholder API address.');
  await writeFile(path.join(build.outDir, '.clasp.json'), `${JSON.stringify({ scriptId, rootDir: '.' }, null, 2)}\n`);

  process.stdout.write(`deploy:addon: pushing ${build.files.join(', ')} to script ${scriptId} with ${CLASP}\n`);
  const push = spawnSync('npx', ['--yes', CLASP, 'push', '--force'], { cwd: build.outDir, stdio: 'inherit' });
  if (push.status !== 0) throw new Error(`clasp push failed (exit ${push.status ?? push.signal}); run \`npx ${CLASP} login\` first if you have not.`);
}

main().catch((error: unknown) => {
  process.stderr.write(`deploy:addon: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
