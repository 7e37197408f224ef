// The Windows .ico and macOS .icns containers, written around PNG images (both formats allow PNG
// data as it is: ICO since Windows Vista, ICNS for every type below since macOS 10.7).

/** ICO: a 6-byte header, one 16-byte entry per image (a size of 256 is written as 0), then the PNGs. */
export function writeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    if (size > 256) throw new Error(`ICO images are at most 256 px (got ${size})`);
    const e = 6 + 16 * i;
    header.writeUInt8(size === 256 ? 0 : size, e); // width
    header.writeUInt8(size === 256 ? 0 : size, e + 1); // height
    header.writeUInt8(0, e + 2); // no palette
    header.writeUInt8(0, e + 3); // reserved
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((im) => im.png)]);
}

/** ICNS element types holding PNG data, by the pixel size of the image they hold. */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic13', 256], // 128@2x
  ['ic14', 512], // 256@2x
];

/** ICNS: 'icns' and the file's length (big-endian), then per element its type, its length and the PNG. */
export function writeIcns(pngBySize) {
  const parts = [];
  for (const [type, size] of ICNS_TYPES) {
    const png = pngBySize.get(size);
    if (!png) throw new Error(`ICNS needs a ${size} px PNG for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    parts.push(head, png);
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

/** Reads either container back: [{ size or type, png }] (for the tests and to check a file by hand). */
export function readIco(buf) {
  if (buf.readUInt16LE(0) !== 0 || buf.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const n = buf.readUInt16LE(4);
  return Array.from({ length: n }, (_, i) => {
    const e = 6 + 16 * i;
    const len = buf.readUInt32LE(e + 8);
    const off = buf.readUInt32LE(e + 12);
    return { size: buf.readUInt8(e) || 256, png: buf.subarray(off, off + len) };
  });
}

export function readIcns(buf) {
  if (buf.toString('ascii', 0, 4) !== 'icns' || buf.readUInt32BE(4) !== buf.length) throw new Error('not an ICNS file');
  const out = [];
  for (let off = 8; off < buf.length;) {
    const type = buf.toString('ascii', off, off + 4);
    const len = buf.readUInt32BE(off + 4);
    out.push({ type, png: buf.subarray(off + 8, off + len) });
    off += len;
  }
  return out;
}
