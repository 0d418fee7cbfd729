// The Electron fuses the packaged app is built with (flipped in its binary by after-pack.cjs,
// read back by test/electron/fuses.spec.ts wherever packaging runs). Each turns off a way to
// run other code inside the app, or turns on a check:
// - RunAsNode off: the binary cannot be used as a plain Node (ELECTRON_RUN_AS_NODE).
// - NODE_OPTIONS and --inspect arguments off: no code injected through the environment or a
//   debugger attached from the command line.
// - Cookie encryption on: cookies at rest are encrypted with the OS keystore.
// - Embedded asar integrity validation on, and only load the app from asar: the app code is
//   the signed archive's, checked against its hash, never a loose folder beside it.
// - File-protocol extra privileges off: file:// pages get no more than web pages (the app is
//   served from its own app:// protocol anyway).
import { FuseV1Options, FuseVersion } from '@electron/fuses';

export const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The fuses by name, as a test reads them back: true on, false off. */
export const FUSES_BY_NAME = Object.fromEntries(
  Object.entries(FUSES)
    .filter(([key]) => key !== 'version')
    .map(([key, on]) => [FuseV1Options[Number(key)], on]),
);
