import { createHash } from "crypto";
import { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { MockTable } from "./table";

export const MOCK_REGION = "us-east-1";
export const MOCK_ACCOUNT = "123456789012";

/** What awsx would build: subnet ids per type and AZ, as its remote component reports them. */
function awsxVpc(args: MockResourceArgs): Record<string, unknown> {
    const inputs = args.inputs;
    const zones: number = inputs.availabilityZoneNames?.length ?? inputs.numberOfAvailabilityZones ?? 3;
    const types: string[] = (inputs.subnetSpecs ?? [{ type: "Private" }, { type: "Public" }]).map((spec: { type: string }) => spec.type);
    const idsOf = (type: string) => (types.includes(type) ? Array.from({ length: zones }, (_, i) => `subnet-${type.toLowerCase()}${i + 1}`) : []);
    return {
        vpcId: `vpc-${args.name}`,
        publicSubnetIds: idsOf("Public"),
        privateSubnetIds: idsOf("Private"),
        isolatedSubnetIds: idsOf("Isolated"),
    };
}

/** The user's VPC and subnets as EC2 describes them; the existing-network tests and Pulumi.dev.yaml use these ids. */
export const MOCK_VPC_ID = "vpc-0123456789abcdef0";
export const MOCK_SUBNETS: Record<string, { availabilityZone: string; vpcId: string }> = {
    "subnet-0aaa1111": { availabilityZone: `${MOCK_REGION}a`, vpcId: MOCK_VPC_ID },
    "subnet-0bbb2222": { availabilityZone: `${MOCK_REGION}b`, vpcId: MOCK_VPC_ID },
    "subnet-0ccc3333": { availabilityZone: `${MOCK_REGION}a`, vpcId: MOCK_VPC_ID },
    "subnet-0ddd4444": { availabilityZone: `${MOCK_REGION}b`, vpcId: MOCK_VPC_ID },
    "subnet-0eee5555": { availabilityZone: `${MOCK_REGION}a`, vpcId: MOCK_VPC_ID },
    "subnet-0fff6666": { availabilityZone: `${MOCK_REGION}c`, vpcId: MOCK_VPC_ID },
    "subnet-0abc7777": { availabilityZone: `${MOCK_REGION}b`, vpcId: "vpc-0aaaaaaaaaaaaaaaa" },
    "subnet-0aaa1111bbbb2222c": { availabilityZone: `${MOCK_REGION}a`, vpcId: MOCK_VPC_ID },
    "subnet-0ddd3333eeee4444f": { availabilityZone: `${MOCK_REGION}b`, vpcId: MOCK_VPC_ID },
};

export const MOCK_HOSTED_ZONE_ID = "Z0123456789ABCDEFGHIJ";

/** A listener of the user's shared ALB (in MOCK_VPC_ID, HTTPS on 443) and that load balancer's security group. */
export const MOCK_SHARED_LISTENER_ARN = `arn:aws:elasticloadbalancing:${MOCK_REGION}:${MOCK_ACCOUNT}:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const MOCK_SHARED_LOAD_BALANCER_SG = "sg-0aaaaaaaaaaaaaaa1";
const SHARED_LOAD_BALANCER_ARN = `arn:aws:elasticloadbalancing:${MOCK_REGION}:${MOCK_ACCOUNT}:loadbalancer/app/shared/50dc6c495c0c9188`;

const arn = (service: string, resource: string) => `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${resource}`;

/** Outputs the AWS provider computes, which the program reads. */
export const awsMocks: MockTable = {
    newResource: {
        "awsx:ec2:Vpc": awsxVpc,
        "aws:acm/certificate:Certificate": ({ name, inputs }) => ({
            arn: arn("acm", `certificate/${name}-0a1b2c3d`),
            domainValidationOptions: [
                {
                    domainName: inputs.domainName,
                    resourceRecordName: `_3f2a.${inputs.domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: "_9c1e.jkddzztszm.acm-validations.aws.",
                },
            ],
        }),
        "aws:acm/certificateValidation:CertificateValidation": ({ inputs }) => ({ certificateArn: inputs.certificateArn }),
        "aws:route53/record:Record": ({ inputs }) => ({ fqdn: String(inputs.name).replace(/\.$/, "") }),
        "aws:lb/loadBalancer:LoadBalancer": ({ name }) => ({
            zoneId: "Z35SXDOTRQ7X7K",
            arn: arn("elasticloadbalancing", `loadbalancer/app/${name}/50dc6c495c0c9188`),
            arnSuffix: `app/${name}/50dc6c495c0c9188`,
            dnsName: `${name}-1234567890.${MOCK_REGION}.elb.amazonaws.com`,
        }),
        "aws:lb/targetGroup:TargetGroup": ({ name }) => ({
            arn: arn("elasticloadbalancing", `targetgroup/${name}/73e2d6bc24d8a067`),
            arnSuffix: `targetgroup/${name}/73e2d6bc24d8a067`,
        }),
        // A secret's id is its ARN.
        "aws:secretsmanager/secret:Secret": ({ name }) => {
            const secretArn = arn("secretsmanager", `secret:${name}-AbCdEf`);
            return { id: secretArn, arn: secretArn };
        },
        // Secrets Manager gives each stored value a new version id: here one derived from the value, so a new value shows.
        "aws:secretsmanager/secretVersion:SecretVersion": ({ name, inputs }) => ({
            arn: inputs.secretId,
            versionId: `${name}-version-${createHash("sha256").update(JSON.stringify(inputs.secretString)).digest("hex").slice(0, 8)}`,
        }),
        "aws:iam/role:Role": ({ name }) => ({ arn: arn("iam", `role/${name}`).replace(`:${MOCK_REGION}:`, "::"), name }),
        "aws:ecs/cluster:Cluster": ({ name }) => ({ arn: arn("ecs", `cluster/${name}`), name }),
        "aws:ecs/taskDefinition:TaskDefinition": ({ name }) => ({ arn: arn("ecs", `task-definition/${name}:1`) }),
        "aws:ecs/service:Service": ({ name }) => ({ name }),
        "aws:cloudwatch/logGroup:LogGroup": ({ name }) => ({ name: `${name}-log-group`, arn: arn("logs", `log-group:${name}`) }),
        "aws:ec2/securityGroup:SecurityGroup": ({ name }) => ({ id: `sg-${name}` }),
        "aws:lambda/function:Function": ({ name }) => ({ arn: arn("lambda", `function:${name}`) }),
        "aws:ec2/instance:Instance": ({ name }) => ({ id: `i-${name}`, primaryNetworkInterfaceId: `eni-${name}` }),
        // RDS names a managed master password's secret rds!db-<resource id>.
        "aws:rds/instance:Instance": ({ name }) => ({
            address: `${name}.abc123xyz.${MOCK_REGION}.rds.amazonaws.com`,
            port: 5432,
            masterUserSecrets: [{ secretArn: arn("secretsmanager", `secret:rds!db-${name}-AbCdEf`), secretStatus: "active", kmsKeyId: "" }],
        }),
        "aws:rds/subnetGroup:SubnetGroup": ({ name }) => ({ name }),
        "aws:rds/parameterGroup:ParameterGroup": ({ name }) => ({ name }),
        "aws:apigatewayv2/api:Api": ({ name }) => ({
            id: `${name}-a1b2c3`,
            apiEndpoint: `https://${name}-a1b2c3.execute-api.${MOCK_REGION}.amazonaws.com`,
        }),
        "aws:apigatewayv2/domainName:DomainName": ({ inputs }) => ({
            id: inputs.domainName,
            domainNameConfiguration: {
                ...inputs.domainNameConfiguration,
                targetDomainName: `d-0a1b2c3d4e.execute-api.${MOCK_REGION}.amazonaws.com`,
                hostedZoneId: "Z1UJRXOUMOOFQ8",
            },
        }),
        "aws:servicediscovery/service:Service": ({ name }) => ({ arn: arn("servicediscovery", `service/srv-${name}`) }),
        "aws:sns/topic:Topic": ({ name }) => ({ arn: arn("sns", name) }),
        "aws:cloudwatch/metricAlarm:MetricAlarm": ({ name }) => ({ arn: arn("cloudwatch", `alarm:${name}`), name }),
        // Aurora names a managed master password's secret rds!cluster-<resource id>.
        "aws:rds/cluster:Cluster": ({ name, inputs }) => ({
            endpoint: `${name}.cluster-abc123xyz.${MOCK_REGION}.rds.amazonaws.com`,
            port: 5432,
            engineVersion: inputs.engineVersion,
            masterUserSecrets: [{ secretArn: arn("secretsmanager", `secret:rds!cluster-${name}-AbCdEf`), secretStatus: "active", kmsKeyId: "" }],
        }),
        "aws:rds/clusterParameterGroup:ClusterParameterGroup": ({ name }) => ({ name }),
        // The rule lives in the account's private registry: its id is the account.
        "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": ({ inputs }) => ({
            registryId: MOCK_ACCOUNT,
            region: MOCK_REGION,
            id: inputs.ecrRepositoryPrefix,
        }),
    },
    call: {
        "aws:index/getRegion:getRegion": () => ({ name: MOCK_REGION, region: MOCK_REGION }),
        "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: [`${MOCK_REGION}a`, `${MOCK_REGION}b`, `${MOCK_REGION}c`] }),
        "aws:ssm/getParameter:getParameter": ({ inputs }) => ({ name: inputs.name, value: "ami-0a1b2c3d4e5f67890", type: "String" }),
        // EC2 answers an unknown id with InvalidSubnetID.NotFound, which fails the preview.
        "aws:ec2/getSubnet:getSubnet": ({ inputs }) => {
            const subnet = MOCK_SUBNETS[inputs.id];
            if (!subnet) throw new Error(`InvalidSubnetID.NotFound: The subnet ID '${inputs.id}' does not exist`);
            return { id: inputs.id, ...subnet };
        },
        // The user's public zone for example.com; any other id is a private zone of internal.example.
        "aws:route53/getZone:getZone": ({ inputs }) =>
            inputs.zoneId === MOCK_HOSTED_ZONE_ID
                ? { zoneId: inputs.zoneId, name: "example.com.", privateZone: false }
                : { zoneId: inputs.zoneId, name: "internal.example.", privateZone: true },
        // Only the shared listener exists; ELB answers any other ARN with ListenerNotFound.
        "aws:lb/getListener:getListener": ({ inputs }) => {
            if (inputs.arn !== MOCK_SHARED_LISTENER_ARN) throw new Error(`ListenerNotFound: One or more listeners not found`);
            return { arn: inputs.arn, loadBalancerArn: SHARED_LOAD_BALANCER_ARN, port: 443, protocol: "HTTPS" };
        },
        "aws:lb/getLoadBalancer:getLoadBalancer": ({ inputs }) => ({
            arn: inputs.arn,
            dnsName: `shared-1234567890.${MOCK_REGION}.elb.amazonaws.com`,
            vpcId: MOCK_VPC_ID,
            securityGroups: [MOCK_SHARED_LOAD_BALANCER_SG],
        }),
        "aws:ec2/getRouteTable:getRouteTable": ({ inputs }) => ({ id: `rtb-${inputs.subnetId}`, routeTableId: `rtb-${inputs.subnetId}` }),
    },
};
