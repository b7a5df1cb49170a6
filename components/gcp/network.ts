/**
 * Direct VPC egress: either the user's subnetwork (where a private database
 * is reachable) or a network and subnetwork created here. Cloud Run takes
 * its instances' addresses from the subnetwork.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpNetwork } from "./config/network";

/** Direct VPC egress settings, or undefined for Cloud Run's own egress. */
export interface VpcEgress {
    network?: pulumi.Input<string>;
    subnetwork: pulumi.Input<string>;
}

export interface NetworkArgs {
    /** The validated `gcp.network` block; mode none creates nothing. @default none, required */
    network: GcpNetwork;
    /** Region of the created subnetwork (the service's). @default none, required */
    region: string;
    /** Resources the network waits for: the enabled APIs. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Network extends pulumi.ComponentResource {
    /** Where the service's egress goes, or undefined without VPC egress. */
    public readonly egress?: VpcEgress;
    /** Self link of the created network, for peering or a Cloud SQL private IP; undefined unless mode is create. */
    public readonly createdNetworkId?: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:Network", name, {}, opts);
        const childOpts = { parent: this, dependsOn: args.dependsOn };
        switch (args.network.mode) {
            case "none":
                break;
            case "existing":
                this.egress = { network: args.network.network, subnetwork: args.network.subnetwork };
                break;
            case "create": {
                const network = new gcp.compute.Network(
                    name,
                    { autoCreateSubnetworks: false, description: "PostgREST's Direct VPC egress" },
                    childOpts,
                );
                const subnetwork = new gcp.compute.Subnetwork(
                    name,
                    {
                        network: network.id,
                        region: args.region,
                        ipCidrRange: args.network.ipCidrRange,
                        // Lets instances reach Google APIs on their private addresses.
                        privateIpGoogleAccess: true,
                    },
                    childOpts,
                );
                this.egress = { network: network.id, subnetwork: subnetwork.id };
                this.createdNetworkId = network.selfLink;
                break;
            }
        }
        this.registerOutputs({ createdNetworkId: this.createdNetworkId });
    }
}
