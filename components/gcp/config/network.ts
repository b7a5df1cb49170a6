/**
 * The `gcp.network` block: Cloud Run's own egress, or Direct VPC egress into
 * the user's subnetwork or one created here.
 */
import { hostBitsProblem, parseIpv4Block } from "../../config/cidr";
import { NETWORK_REF, SUBNETWORK_REF } from "./rules";
import { JsonObject, ModalBlock, Problems, describeValue, readString } from "../../config/problems";

/** none: Cloud Run's own egress; existing: Direct VPC egress into the user's subnetwork; create: into a new one. */
export const GCP_NETWORK_MODES = ["none", "existing", "create"] as const;
export type GcpNetworkMode = (typeof GCP_NETWORK_MODES)[number];

/** Defaults of the `gcp.network` block. */
export const NETWORK_DEFAULTS = { mode: "none", ipCidrRange: "10.8.0.0/24" } as const;

/** Direct VPC egress into a subnetwork the user already has (for a database on a private IP). */
export interface ExistingGcpNetwork {
    mode: "existing";
    /** Subnetwork name or path (projects/P/regions/R/subnetworks/S); Cloud Run takes its IPs from it. */
    subnetwork: string;
    /** Network name or path; undefined: the subnetwork's network. */
    network?: string;
}

/** Direct VPC egress into a network and subnetwork this program creates (to peer, or to give Cloud SQL a private IP on). */
export interface CreatedGcpNetwork {
    mode: "create";
    ipCidrRange: string;
}

export type GcpNetwork = { mode: "none" } | ExistingGcpNetwork | CreatedGcpNetwork;

/** The `gcp.network` block: Direct VPC egress, or none. */
export const NETWORK_BLOCK: ModalBlock<GcpNetworkMode, GcpNetwork> = {
    example: "network: { mode: existing, subnetwork: my-subnet }",
    modes: GCP_NETWORK_MODES,
    defaultMode: NETWORK_DEFAULTS.mode,
    keysOfMode: { none: [], existing: ["network", "subnetwork"], create: ["ipCidrRange"] },
    read: readNetworkOfMode,
};

function readNetworkOfMode(obj: JsonObject, mode: GcpNetworkMode, key: string, problems: Problems): GcpNetwork {
    switch (mode) {
        case "none":
            return { mode };
        case "existing": {
            const subnetwork = readString(obj, "subnetwork", key, problems, {
                example: "subnetwork: my-subnet (in the service's region, /26 or larger)",
            });
            if (subnetwork !== undefined && !SUBNETWORK_REF.test(subnetwork)) {
                problems.add(
                    `${key}.subnetwork`,
                    `${describeValue(subnetwork)} is not a subnetwork name or projects/P/regions/R/subnetworks/S path`,
                    "subnetwork: my-subnet",
                );
            }
            const network = readString(obj, "network", key, problems, { optional: true, example: "network: my-vpc" });
            if (network !== undefined && !NETWORK_REF.test(network)) {
                problems.add(
                    `${key}.network`,
                    `${describeValue(network)} is not a network name or projects/P/global/networks/N path`,
                    "network: my-vpc",
                );
            }
            return { mode, subnetwork: subnetwork!, network };
        }
        case "create": {
            const ipCidrRange = readString(obj, "ipCidrRange", key, problems, {
                default: NETWORK_DEFAULTS.ipCidrRange,
                example: `ipCidrRange: ${NETWORK_DEFAULTS.ipCidrRange}`,
            });
            const cidrProblem = ipCidrRange === undefined ? undefined : subnetCidrProblem(ipCidrRange);
            if (cidrProblem) problems.add(`${key}.ipCidrRange`, cidrProblem, `ipCidrRange: ${NETWORK_DEFAULTS.ipCidrRange}`);
            return { mode, ipCidrRange: ipCidrRange! };
        }
    }
}

/**
 * Why `cidr` cannot be the created subnetwork's range, or undefined. Direct
 * VPC egress reserves addresses in blocks of 16 and needs a /26 or larger
 * (Cloud Run docs, Direct VPC egress, IP address allocation); a private
 * (RFC 1918) range keeps PRIVATE_RANGES_ONLY egress meaningful.
 */
export function subnetCidrProblem(cidr: string): string | undefined {
    const block = parseIpv4Block(cidr, NETWORK_DEFAULTS.ipCidrRange);
    if (typeof block === "string") return block;
    if (block.prefix < 8 || block.prefix > 26) return `/${block.prefix} is outside /8 to /26: Direct VPC egress needs a /26 or larger subnetwork`;
    const [a, b] = block.octets;
    const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
    if (!isPrivate) return `${cidr} is not a private (RFC 1918) range: use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`;
    return hostBitsProblem(cidr, block);
}
