// Dependency-free names, importable from the sandboxed preload.
export const RPC_CHANNEL = 'canary:rpc';
export const EVENT_CHANNEL = 'canary:event';
