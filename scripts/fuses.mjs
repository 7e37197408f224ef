#!/usr/bin/env node
// Electron fuses for the packaged app (issue 18): options compiled into the Electron binary that
// no command line, environment variable or file can turn back on. Flipped once, after packing and
// before signing, by electron-builder's afterPack hook (`"afterPack": "scripts/fuses.mjs"` in its
// configuration: the default export below), or by hand: `node scripts/fuses.mjs path/to/Canary`
// (a Linux/Windows executable, or a macOS .app). Pure JavaScript so the hook runs without a build.
//
//   RunAsNode off                          ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node
//   EnableNodeOptionsEnvironmentVariable   NODE_OPTIONS (e.g. --require evil.js) is ignored
//   EnableNodeCliInspectArguments off      --inspect / --inspect-brk cannot open a debugger
//   EnableCookieEncryption on              cookies on disk are encrypted with the OS keychain key
//   OnlyLoadAppFromAsar on                 the app is loaded from app.asar only, never an app/ folder beside it
//   EnableEmbeddedAsarIntegrityValidation  app.asar is checked against the hash electron-builder embeds
//   LoadBrowserProcessSpecificV8Snapshot   off (the default; Canary ships no custom snapshot)
//   GrantFileProtocolExtraPrivileges on    kept: the page is loaded from file:// as ES modules, which
//                                          Chromium refuses to file: pages without these privileges
//   WasmTrapHandlers on                    the default (faster, safe WebAssembly bounds checks)
// Every fuse is set explicitly (strictlyRequireAllFuses): an Electron that adds a fuse fails the
// build until someone decides it here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

/** What Canary's packaged binary must have. */
export const CANARY_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
  [FuseV1Options.WasmTrapHandlers]: true,
};

/** Flip the fuses of one Electron binary, then read them back and fail unless every one is as configured. */
export async function applyCanaryFuses(binary, { resetAdHocDarwinSignature = false } = {}) {
  await flipFuses(binary, { ...CANARY_FUSES, resetAdHocDarwinSignature });
  const wire = await getCurrentFuseWire(binary);
  const wrong = [];
  for (const [key, want] of Object.entries(CANARY_FUSES)) {
    if (!/^\d+$/.test(key)) continue;
    const got = wire[key];
    if (got !== (want ? FuseState.ENABLE : FuseState.DISABLE)) wrong.push(`${FuseV1Options[key]} is ${got === FuseState.ENABLE ? 'on' : got === FuseState.DISABLE ? 'off' : `state ${got}`}`);
  }
  if (wrong.length) throw new Error(`Electron fuses not as configured in ${binary}: ${wrong.join(', ')}`);
  return wire;
}

/** Where electron-builder put the binary it just packed. */
export function packedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName ?? name);
}

/** electron-builder afterPack hook. */
export default async function afterPack(context) {
  const binary = packedBinary(context);
  // arm64 macOS binaries must carry a valid (ad hoc) signature after the bytes change.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && (context.arch === 3 || context.arch === 4); // builder-util Arch.arm64, universal
  await applyCanaryFuses(binary, { resetAdHocDarwinSignature });
  console.log(`  • fuses set  binary=${binary}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: node scripts/fuses.mjs PATH_TO_ELECTRON_BINARY_OR_APP');
    process.exit(2);
  }
  applyCanaryFuses(path.resolve(binary)).then(
    () => console.log(`fuses set on ${binary}`),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
