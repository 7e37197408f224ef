import type { FuseV1Config } from '@electron/fuses';

export declare const CANARY_FUSES: FuseV1Config;
export declare function applyCanaryFuses(binary: string, opts?: { resetAdHocDarwinSignature?: boolean }): Promise<Record<string, unknown>>;
export interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}
export declare function packedBinary(context: AfterPackContext): string;
export default function afterPack(context: AfterPackContext): Promise<void>;
