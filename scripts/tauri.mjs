#!/usr/bin/env node
// Runs the Tauri CLI pinned in ui/package.json (`node scripts/tauri.mjs build --bundles deb`), on
// every OS, for scripts/package and the release workflow.
//
// The app config lives at the repository root, beside the workspace's Cargo.toml, and tauri-build
// reads it there (src-tauri/build.rs). The CLI, though, insists that the folder of tauri.conf.json
// holds the app's own Cargo.toml with a [package], which the root's workspace manifest is not. So
// this writes a copy of the root config into src-tauri/ (git-ignored) with its paths made relative
// to that folder, and points the CLI there with TAURI_APP_PATH. The root file stays the only one
// edited by hand.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const appDir = join(root, 'src-tauri');
const config = JSON.parse(readFileSync(join(root, 'tauri.conf.json'), 'utf8'));

const fromAppDir = (path) => `../${path}`;
config.build.frontendDist = fromAppDir(config.build.frontendDist);
config.bundle.icon = config.bundle.icon.map(fromAppDir);
// Other settings that name files would need the same; fail rather than bundle the wrong file.
const b = config.bundle;
const unhandled = [
  b.resources && 'bundle.resources',
  b.licenseFile && 'bundle.licenseFile',
  b.fileAssociations && 'bundle.fileAssociations',
  b.externalBin && 'bundle.externalBin',
  b.macOS?.entitlements && 'bundle.macOS.entitlements',
  b.macOS?.files && 'bundle.macOS.files',
  b.linux && 'bundle.linux',
  b.windows?.nsis?.template && 'bundle.windows.nsis.template',
  b.windows?.nsis?.installerIcon && 'bundle.windows.nsis.installerIcon',
  b.windows?.wix && 'bundle.windows.wix',
].filter(Boolean);
if (unhandled.length) {
  console.error(`scripts/tauri.mjs: make the paths in ${unhandled.join(', ')} relative to src-tauri/ here`);
  process.exit(1);
}
writeFileSync(
  join(appDir, 'tauri.conf.json'),
  `${JSON.stringify(config, null, 2)}\n`,
);

const cli = join(root, 'ui', 'node_modules', '@tauri-apps', 'cli', 'tauri.js');
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TAURI_APP_PATH: appDir, TAURI_FRONTEND_PATH: join(root, 'ui') },
});
if (run.error) console.error(`scripts/tauri.mjs: ${run.error.message}`);
process.exit(run.status ?? 1);
