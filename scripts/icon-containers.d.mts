export declare function writeIco(images: { size: number; png: Buffer }[]): Buffer;
export declare const ICNS_TYPES: [string, number][];
export declare function writeIcns(pngBySize: Map<number, Buffer>): Buffer;
export declare function readIco(buf: Buffer): { size: number; png: Buffer }[];
export declare function readIcns(buf: Buffer): { type: string; png: Buffer }[];
