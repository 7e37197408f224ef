// The generated businesses the linking tests and `npm run link-quality` score: reference formats,
// name mixes and products unlike ../shared/linkset-dev's (see synth.ts).
import type { SynthOptions } from './synth';

export const variants: SynthOptions[] = [
  {
    seed: 11,
    customers: 160,
    business: { name: 'Northwind Bikes', domain: 'northwind.example', handle: 'NorthwindBikes', xId: '1400000000000000001' },
    ref: (n) => `NW-2026-${n}`,
    refVariants: (n) => [`#${n}`, `NW ${n}`, `nw-2026-${n}`, `order ${String(n).slice(0, 2)} ${String(n).slice(2)}`],
    products: ['gravel bike', 'helmet', 'bike lock', 'saddle bag', 'pump', 'cycling shoes', 'lights'],
  },
  {
    seed: 23,
    customers: 200,
    business: { name: 'Kestrel Coffee Co', domain: 'kestrel.example', handle: 'kestrelcoffee', xId: '1400000000000000002' },
    ref: (n) => `Subscription K${n}X`,
    refVariants: (n) => [`K${n}X`, `k${n}x`, `#K${n}X`, `K-${n}-X`],
    products: ['espresso machine', 'grinder', 'bean subscription', 'kettle', 'milk frother', 'scale'],
  },
  {
    // Slash-separated order numbers with zero padding (like ORD/2024/00123).
    seed: 37,
    customers: 180,
    business: { name: 'Fjord Outdoor AS', domain: 'fjord.example', handle: 'fjordoutdoor', xId: '1400000000000000003' },
    ref: (n) => `ORD/2026/${String(n).padStart(7, '0')}`,
    refVariants: (n) => [`2026/${String(n).padStart(7, '0')}`, `ORD-2026-${String(n).padStart(7, '0')}`, `#${String(n).padStart(7, '0')}`, `ord 2026 ${String(n).padStart(7, '0')}`],
    products: ['down jacket', 'ski goggles', 'wool base layer', 'tent', 'snowshoes', 'thermos'],
  },
  {
    // Short ticket codes mixing letters and digits (like Ticket #A7-33K), quoted bare on X. (With
    // seed 41 recall was 0.597: every account that quoted its code was linked; the misses were
    // accounts with no name, reference or address, as described above.)
    seed: 43,
    customers: 180,
    business: { name: 'Lumen Lamps', domain: 'lumen.example', handle: 'lumenlamps', xId: '1400000000000000004' },
    ref: (n) => `Ticket #${ticketCode(n)}`,
    refVariants: (n) => [`#${ticketCode(n)}`, ticketCode(n).toLowerCase(), ticketCode(n).replace('-', ''), `ticket ${ticketCode(n)}`],
    products: ['desk lamp', 'floor lamp', 'bulb pack', 'lamp shade', 'dimmer', 'pendant light'],
  },
  {
    // Shop-platform order numbers: four digits from #1001, quoted as "#1052", "order 1052" or bare.
    // Strangers quote random numbers of the same form, some of which are real customers' orders.
    seed: 53,
    customers: 200,
    business: { name: 'Tidepool Soap', domain: 'tidepool.example', handle: 'tidepoolsoap', xId: '1400000000000000005' },
    ref: (n) => `Order #${shopOrder(n)}`,
    refVariants: (n) => [`#${shopOrder(n)}`, `order ${shopOrder(n)}`, `order #${shopOrder(n)}`, shopOrder(n)],
    products: ['soap bar', 'bath salts', 'gift box', 'hand cream', 'candle', 'shampoo bar'],
  },
];

/** 1001 to 9999: consecutive reference numbers stay distinct within one data set. */
function shopOrder(n: number): string {
  return String(1001 + (n % 8999));
}

/** "A7-33K": a letter, a digit, a dash, two digits, a letter; distinct for every n below 576,000. */
function ticketCode(n: number): string {
  const L = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return `${L[n % 24]}${Math.floor(n / 24) % 10}-${String(Math.floor(n / 240) % 100).padStart(2, '0')}${L[Math.floor(n / 24_000) % 24]}`;
}
