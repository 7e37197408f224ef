// Small pieces of RFC 5322 the generators (synth.ts, synth-mixed.ts) write mail with.

/** A display name as a header carries it: as is when printable ASCII, else an RFC 2047 encoded word. */
export function encodeHeader(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/** A Date header value for an epoch time, in UTC. */
export function emlDate(t: number): string {
  return new Date(t).toUTCString().replace('GMT', '+0000');
}
