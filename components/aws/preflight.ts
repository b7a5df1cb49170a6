/**
 * Rules whose answer only the cloud knows (the stack's region, the zones and
 * VPC of the user's subnets), asked at preview through the provider's data
 * sources, which run during preview. A broken rule fails the preview with the
 * same kind of message as a config problem, naming the key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsConfig } from "./config";
import {
    CloudAnswerProblem,
    DescribedSubnet,
    availabilityZoneRegionProblems,
    certificateRegionProblem,
    databaseSubnetProblems,
    existingSubnetProblems,
    hostedZoneProblem,
} from "./config/cloud-answers";
import { Problems } from "../config/problems";

/**
 * What the cloud's answers say about `awsConfig`: its region, and EC2's description of the user's subnets, where a
 * database the stack creates (`createsDatabase`) lives too.
 */
export function cloudAnswerProblems(
    awsConfig: AwsConfig,
    opts: pulumi.InvokeOutputOptions,
    createsDatabase = false,
): pulumi.Output<CloudAnswerProblem[]> {
    const region = aws.getRegionOutput({}, opts).region;
    const network = awsConfig.network;
    const subnetIds = network.mode === "existing" ? [...new Set([...network.publicSubnetIds, ...network.taskSubnetIds])] : [];
    const described = pulumi.all(
        Object.fromEntries(
            subnetIds.map((id) => [
                id,
                aws.ec2.getSubnetOutput({ id }, opts).apply((s): DescribedSubnet => ({ availabilityZone: s.availabilityZone, vpcId: s.vpcId })),
            ]),
        ),
    );
    const zone =
        awsConfig.hostedZoneId && awsConfig.domainName
            ? aws.route53
                  .getZoneOutput({ zoneId: awsConfig.hostedZoneId }, opts)
                  .apply((z) => ({ name: z.name, privateZone: z.privateZone === true }))
            : undefined;
    return pulumi
        .all([region, described, zone])
        .apply(([regionName, subnets, zoneFound]) => [
            ...(zoneFound ? [hostedZoneProblem(awsConfig.domainName!, zoneFound)].filter((p) => p !== undefined) : []),
            ...(network.mode === "create" && network.availabilityZones ? availabilityZoneRegionProblems(network.availabilityZones, regionName) : []),
            ...(awsConfig.certificateArn ? [certificateRegionProblem(awsConfig.certificateArn, regionName)].filter((p) => p !== undefined) : []),
            ...(network.mode === "existing" ? existingSubnetProblems(network, subnets) : []),
            ...(network.mode === "existing" && createsDatabase ? databaseSubnetProblems(network, subnets) : []),
        ]);
}

/** Throws one ConfigError naming `${key}.<field>` for each problem, as a config problem would. */
export function throwCloudAnswerProblems(found: readonly CloudAnswerProblem[], key: string): void {
    const problems = new Problems();
    for (const p of found) problems.add(`${key}.${p.field}`, p.problem, p.example);
    problems.throwIfAny();
}

/**
 * Resolves to true once the cloud's answers agree with `awsConfig`, and fails
 * the program otherwise (the preview stops with the error). Resources that
 * must not be created on a wrong config take an input through it.
 */
export function checkedByCloud(awsConfig: AwsConfig, key: string, opts: pulumi.InvokeOutputOptions, createsDatabase = false): pulumi.Output<true> {
    return cloudAnswerProblems(awsConfig, opts, createsDatabase).apply((found) => {
        throwCloudAnswerProblems(found, key);
        return true as const;
    });
}

/** `value`, once the cloud's answers have been checked. */
export function afterCheck<T>(check: pulumi.Output<true>, value: pulumi.Input<T>): pulumi.Output<T> {
    return pulumi.all([check, value]).apply(([, v]) => v as T);
}
