/**
 * A NAT instance: a small Graviton EC2 instance that forwards the task
 * subnets' traffic to the internet, for a tenth of a NAT gateway's price.
 * Getting one to forward traffic takes three things, all here: source/dest
 * check off, forwarding plus masquerading set up (and persisted) by its user
 * data, and the task subnets' default route through its network interface.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// Amazon Linux 2023 for arm64, resolved through AWS's public SSM parameter (Amazon Linux 2023 user guide, AMIs via SSM).
export const NAT_INSTANCE_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/**
 * The user-data script, after the Amazon VPC user guide ("NAT instances",
 * create a NAT AMI on Amazon Linux 2023): iptables-services restores the saved
 * rules at boot; ip_forward lives in sysctl.d; MASQUERADE on the interface
 * that holds the default route (ens5 on Nitro types, not guessed); the stock
 * FORWARD REJECT rule is flushed, since security groups do the filtering.
 */
export function natInstanceUserData(vpcCidr: string): string {
    return `#!/bin/bash
# NAT instance set-up, run once as root by cloud-init at first boot.
set -euo pipefail

# Forward IPv4 packets, now and after every reboot.
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat-instance.conf
sysctl -q -p /etc/sysctl.d/90-nat-instance.conf

# iptables-services saves the rules and restores them at boot; retry while the network settles.
for attempt in 1 2 3 4 5; do
    if dnf install -y -q iptables-services; then
        break
    fi
    if [ "$attempt" -eq 5 ]; then
        echo "could not install iptables-services" >&2
        exit 1
    fi
    sleep 10
done
systemctl enable --now iptables

# The interface that carries the default route is the one facing the internet gateway.
iface="$(ip -4 route show default | awk '{ print $5; exit }')"
if [ -z "$iface" ]; then
    echo "no default route: cannot tell which interface to masquerade on" >&2
    exit 1
fi

# Rewrite the source of the VPC's outbound packets to this instance's address.
iptables -t nat -A POSTROUTING -o "$iface" -s ${vpcCidr} -j MASQUERADE
# The stock rules reject forwarded packets; the security groups decide what may pass.
iptables -F FORWARD
iptables -P FORWARD ACCEPT
iptables-save > /etc/sysconfig/iptables
`;
}

export interface NatInstanceArgs {
    /** The VPC the instance serves. @default none, required */
    vpcId: pulumi.Input<string>;
    /** The VPC's range: only its packets are masqueraded. @default none, required */
    vpcCidr: string;
    /** A public subnet (with a route to the internet gateway) for the instance. @default none, required */
    publicSubnetId: pulumi.Input<string>;
    /** Route tables of the task subnets; each gets its default route through the instance. @default none, required */
    routeTableIds: pulumi.Input<string>[];
    /** Security group of the tasks, the only clients. @default none, required */
    clientSecurityGroupId: pulumi.Input<string>;
    /** TCP ports the clients reach through the instance: 443 and the database port. @default none, required */
    ports: number[];
    /** EC2 instance type, Graviton (the AMI is arm64). @default "t4g.nano" */
    instanceType?: string;
}

export class NatInstance extends pulumi.ComponentResource {
    public readonly instanceId: pulumi.Output<string>;
    public readonly networkInterfaceId: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: NatInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:NatInstance", name, {}, opts);

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "NAT instance: forwards the tasks' outbound traffic", revokeRulesOnDelete: true },
            { parent: this },
        );
        for (const port of args.ports) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-from-tasks-${port}`,
                {
                    securityGroupId: securityGroup.id,
                    referencedSecurityGroupId: args.clientSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `tasks to the internet on ${port}`,
                },
                { parent: this },
            );
            // 443 also serves the instance's own package install at boot.
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-to-internet-${port}`,
                {
                    securityGroupId: securityGroup.id,
                    cidrIpv4: "0.0.0.0/0",
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `forwarded traffic on ${port}`,
                },
                { parent: this },
            );
        }

        const ami = aws.ssm.getParameterOutput({ name: NAT_INSTANCE_AMI_PARAMETER }, { parent: this }).value;
        const instance = new aws.ec2.Instance(
            `${name}`,
            {
                ami,
                instanceType: args.instanceType ?? "t4g.nano",
                subnetId: args.publicSubnetId,
                vpcSecurityGroupIds: [securityGroup.id],
                associatePublicIpAddress: true,
                // A NAT forwards packets addressed to others; EC2 drops those unless the check is off.
                sourceDestCheck: false,
                userData: natInstanceUserData(args.vpcCidr),
                // The script runs only at first boot, so a changed script needs a new instance.
                userDataReplaceOnChange: true,
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
                rootBlockDevice: { volumeType: "gp3", encrypted: true },
                tags: { Name: `${name}` },
            },
            // A newer AMI in the SSM parameter must not replace a working NAT on every update.
            { parent: this, ignoreChanges: ["ami"] },
        );

        args.routeTableIds.forEach((routeTableId, index) => {
            new aws.ec2.Route(
                `${name}-default-route-${index + 1}`,
                { routeTableId, destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: instance.primaryNetworkInterfaceId },
                { parent: this },
            );
        });

        this.instanceId = instance.id;
        this.networkInterfaceId = instance.primaryNetworkInterfaceId;
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({ instanceId: this.instanceId, networkInterfaceId: this.networkInterfaceId, securityGroupId: this.securityGroupId });
    }
}
