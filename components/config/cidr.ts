/** IPv4 CIDR blocks, as both clouds' network keys take them. */
import { describeValue } from "./problems";

export interface Ipv4Block {
    octets: number[];
    prefix: number;
}

/** Parses `a.b.c.d/n`; a problem when it is not an IPv4 CIDR block. */
export function parseIpv4Block(cidr: string, example: string): Ipv4Block | string {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!match) return `${describeValue(cidr)} is not an IPv4 CIDR block such as ${example}`;
    const octets = match.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return `${describeValue(cidr)} is not an IPv4 address range`;
    return { octets, prefix: Number(match[5]) };
}

/** Why `block` has host bits set, naming where it really starts; undefined when it is aligned. */
export function hostBitsProblem(cidr: string, block: Ipv4Block): string | undefined {
    const address = block.octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - block.prefix);
    if (address % size === 0) return undefined;
    const base = address - (address % size);
    const start = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".");
    return `${cidr} has host bits set; the block starts at ${start}/${block.prefix}`;
}
