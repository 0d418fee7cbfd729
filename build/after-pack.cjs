// electron-builder's afterPack hook: flips the fuses of build/fuses.mjs in the packaged
// Electron binary, before the installer is made (and before signing, which the fuses change).
const { join } = require('node:path');

/** The packaged binary's path for each platform electron-builder builds. */
function binaryOf(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName);
  }
}

module.exports = async function afterPack(context) {
  const { flipFuses } = await import('@electron/fuses');
  const { FUSES } = await import('./fuses.mjs');
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(binaryOf(context), { ...FUSES, resetAdHocDarwinSignature: isMac });
};

module.exports.binaryOf = binaryOf;
