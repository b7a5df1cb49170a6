/**
 * The AWS rules that need the cloud's answers, asked at preview (aws/preflight.ts): zones and certificates of the
 * stack's region, existing subnets in the VPC and in two zones (a created database's too), the hosted zone of the domain.
 */
import type { ExistingNetwork } from "./network";

/** A problem found by asking the cloud at preview; `field` is the key under the `aws` block. */
export interface CloudAnswerProblem {
    field: string;
    problem: string;
    example: string;
}

/** A subnet as EC2 describes it (ec2:DescribeSubnets, through aws.ec2.getSubnet). */
export interface DescribedSubnet {
    availabilityZone: string;
    vpcId: string;
}

/** The region of an Availability Zone name: us-east-1a is in us-east-1 (EC2 user guide, Regions and Zones). */
export function regionOfZone(zone: string): string {
    return zone.replace(/[a-z]$/, "");
}

/** Zones of `availabilityZones` that are not in the stack's region: the VPC's subnets could not be created there. */
export function availabilityZoneRegionProblems(zones: readonly string[], region: string): CloudAnswerProblem[] {
    return zones.flatMap((zone, index) =>
        regionOfZone(zone) === region
            ? []
            : [
                  {
                      field: `network.availabilityZones[${index}]`,
                      problem: `${zone} is in ${regionOfZone(zone)}, and the stack deploys to ${region} (aws:region)`,
                      example: `availabilityZones: [${region}a, ${region}b]`,
                  },
              ],
    );
}

/**
 * Why the certificate cannot serve the load balancer of `region`, or undefined: a load balancer takes ACM
 * certificates of its own region (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
 */
export function certificateRegionProblem(certificateArn: string, region: string): CloudAnswerProblem | undefined {
    const arnRegion = certificateArn.split(":")[3];
    if (arnRegion === region) return undefined;
    return {
        field: "certificateArn",
        problem: `is a certificate of ${arnRegion}, and the load balancer is in ${region} (aws:region); a load balancer only uses certificates of its own region`,
        example: `certificateArn: arn:aws:acm:${region}:ACCOUNT:certificate/ID (request or import it in ${region})`,
    };
}

/**
 * What EC2's description of the user's subnets says about `network`: every subnet in `vpcId`; the load
 * balancer's subnets in at least two Availability Zones and one per zone ("You must specify subnets from at
 * least two Availability Zones. You can specify only one subnet per Availability Zone", ELBv2 API reference,
 * CreateLoadBalancer); tasks only in zones the load balancer serves, as targets in a zone it does not enable
 * receive no traffic (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones).
 */
export function existingSubnetProblems(network: ExistingNetwork, subnets: Readonly<Record<string, DescribedSubnet>>): CloudAnswerProblem[] {
    const problems: CloudAnswerProblem[] = [];
    const listed = [
        ...network.publicSubnetIds.map((id, index) => ({ id, field: `network.publicSubnetIds[${index}]` })),
        ...(network.taskSubnetIds === network.publicSubnetIds
            ? []
            : network.taskSubnetIds.map((id, index) => ({ id, field: `network.taskSubnetIds[${index}]` }))),
    ];
    for (const { id, field } of listed) {
        if (subnets[id].vpcId !== network.vpcId) {
            problems.push({
                field,
                problem: `${id} is in ${subnets[id].vpcId}, not in network.vpcId ${network.vpcId}`,
                example: `a subnet of ${network.vpcId} (aws ec2 describe-subnets --filters Name=vpc-id,Values=${network.vpcId})`,
            });
        }
    }
    const publicZones = network.publicSubnetIds.map((id) => subnets[id].availabilityZone);
    const distinct = [...new Set(publicZones)];
    if (distinct.length < 2) {
        problems.push({
            field: "network.publicSubnetIds",
            problem: `are all in ${distinct.join(", ")}; an Application Load Balancer needs subnets in at least two Availability Zones`,
            example: "publicSubnetIds: [a subnet in us-east-1a, a subnet in us-east-1b]",
        });
    } else if (distinct.length < publicZones.length) {
        const repeated = distinct.filter((zone) => publicZones.filter((z) => z === zone).length > 1);
        problems.push({
            field: "network.publicSubnetIds",
            problem: `name two subnets in ${repeated.join(", ")}; a load balancer takes one subnet per Availability Zone`,
            example: "publicSubnetIds: one subnet per zone",
        });
    }
    network.taskSubnetIds.forEach((id, index) => {
        const zone = subnets[id].availabilityZone;
        if (!publicZones.includes(zone)) {
            problems.push({
                field: `network.taskSubnetIds[${index}]`,
                problem: `${id} is in ${zone}, where the load balancer has no subnet (it serves ${distinct.join(", ")}), so tasks there would get no traffic`,
                example: `taskSubnetIds in ${distinct.join(", ")}, or a public subnet in ${zone}`,
            });
        }
    });
    return problems;
}

/**
 * What EC2's description says about the task subnets of an existing network when database.create puts the database in
 * them: an RDS or Aurora DB subnet group needs subnets in at least two Availability Zones
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html).
 */
export function databaseSubnetProblems(network: ExistingNetwork, subnets: Readonly<Record<string, DescribedSubnet>>): CloudAnswerProblem[] {
    const zones = [...new Set(network.taskSubnetIds.map((id) => subnets[id].availabilityZone))];
    if (zones.length >= 2) return [];
    return [
        {
            field: "network.taskSubnetIds",
            problem: `are all in ${zones.join(", ")}, and database.create puts the database in them: its DB subnet group needs subnets in at least two Availability Zones`,
            example: `taskSubnetIds: [a subnet in ${zones[0]}, a subnet in another zone the load balancer serves]`,
        },
    ];
}

/**
 * Why `domainName` cannot get its certificate and alias record in the hosted zone, or undefined: the name must
 * be inside the zone, and ACM validates only through public DNS
 * (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
 */
export function hostedZoneProblem(domainName: string, zone: { name: string; privateZone: boolean }): CloudAnswerProblem | undefined {
    const zoneName = zone.name.replace(/\.$/, "").toLowerCase();
    const name = domainName.toLowerCase();
    if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
        return {
            field: "hostedZoneId",
            problem: `is the zone of ${zoneName}, which does not hold domainName ${domainName}`,
            example: `the hosted zone of ${domainName.split(".").slice(-2).join(".")} (aws route53 list-hosted-zones-by-name)`,
        };
    }
    if (zone.privateZone) {
        return {
            field: "hostedZoneId",
            problem: `is a private zone: ACM validates certificates through public DNS and clients would not resolve ${domainName}`,
            example: "the public hosted zone of the same name",
        };
    }
    return undefined;
}
