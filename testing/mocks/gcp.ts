import { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { MockTable } from "./table";

export const MOCK_PROJECT = "my-project";
export const MOCK_PROJECT_NUMBER = "123456789012";
export const MOCK_LOAD_BALANCER_IP = "34.120.45.67";

const globalPath = (collection: string, name: string) => `projects/${MOCK_PROJECT}/global/${collection}/${name}`;
const regionalPath = (args: MockResourceArgs, collection: string) =>
    `projects/${MOCK_PROJECT}/regions/${args.inputs.region}/${collection}/${args.name}`;

/** A stable number per resource name, as Cloud Monitoring gives each object a numeric id. */
function digitsOf(name: string): string {
    return String([...name].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) % 1_000_000_007, 7));
}

/** Outputs the Google provider computes, which the program reads. Names stand for the names Pulumi would generate. */
export const gcpMocks: MockTable = {
    newResource: {
        "gcp:cloudrunv2/service:Service": ({ name, inputs }) => ({
            id: `projects/${MOCK_PROJECT}/locations/${inputs.location}/services/${name}`,
            name,
            uri: `https://${name}-a1b2c3d4e5-uc.a.run.app`,
        }),
        "gcp:secretmanager/secret:Secret": ({ name }) => ({
            id: `projects/${MOCK_PROJECT}/secrets/${name}`,
            secretId: name,
            name: `projects/123456789012/secrets/${name}`,
        }),
        "gcp:secretmanager/secretVersion:SecretVersion": ({ inputs }) => ({
            id: `${inputs.secret}/versions/1`,
            name: `${inputs.secret}/versions/1`,
            version: "1",
        }),
        "gcp:serviceaccount/account:Account": ({ name }) => ({
            id: `projects/${MOCK_PROJECT}/serviceAccounts/${name}@${MOCK_PROJECT}.iam.gserviceaccount.com`,
            name: `projects/${MOCK_PROJECT}/serviceAccounts/${name}@${MOCK_PROJECT}.iam.gserviceaccount.com`,
            email: `${name}@${MOCK_PROJECT}.iam.gserviceaccount.com`,
            project: MOCK_PROJECT,
        }),
        "gcp:cloudfunctionsv2/function:Function": ({ name, inputs }) => ({
            id: `projects/${MOCK_PROJECT}/locations/${inputs.location}/functions/${name}`,
            name,
            url: `https://${inputs.location}-${MOCK_PROJECT}.cloudfunctions.net/${name}`,
            serviceConfig: { ...inputs.serviceConfig, service: name, uri: `https://${name}-a1b2c3d4e5-uc.a.run.app` },
        }),
        "gcp:storage/bucket:Bucket": ({ name }) => ({ id: name, name, url: `gs://${name}` }),
        "gcp:storage/bucketObject:BucketObject": ({ inputs }) => ({ id: `${inputs.bucket}-${inputs.name}`, generation: 1732345678901234 }),
        "gcp:artifactregistry/repository:Repository": ({ inputs }) => ({
            id: `projects/${MOCK_PROJECT}/locations/${inputs.location}/repositories/${inputs.repositoryId}`,
            name: inputs.repositoryId,
        }),
        "gcp:compute/network:Network": ({ name }) => ({
            id: globalPath("networks", name),
            selfLink: `https://www.googleapis.com/compute/v1/${globalPath("networks", name)}`,
        }),
        "gcp:compute/subnetwork:Subnetwork": (args) => ({ id: regionalPath(args, "subnetworks") }),
        "gcp:compute/globalAddress:GlobalAddress": ({ name }) => ({ id: globalPath("addresses", name), name, address: MOCK_LOAD_BALANCER_IP }),
        "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": (args) => ({ id: regionalPath(args, "networkEndpointGroups") }),
        "gcp:compute/backendService:BackendService": ({ name }) => ({ id: globalPath("backendServices", name) }),
        "gcp:compute/managedSslCertificate:ManagedSslCertificate": ({ name }) => ({ id: globalPath("sslCertificates", name) }),
        "gcp:compute/uRLMap:URLMap": ({ name }) => ({ id: globalPath("urlMaps", name) }),
        "gcp:compute/targetHttpsProxy:TargetHttpsProxy": ({ name }) => ({ id: globalPath("targetHttpsProxies", name) }),
        "gcp:compute/targetHttpProxy:TargetHttpProxy": ({ name }) => ({ id: globalPath("targetHttpProxies", name) }),
        // Cloud Monitoring names its objects by number; the digits stand for the ones it assigns.
        "gcp:monitoring/notificationChannel:NotificationChannel": ({ name }) => ({
            name: `projects/${MOCK_PROJECT}/notificationChannels/${digitsOf(name)}`,
        }),
        "gcp:monitoring/alertPolicy:AlertPolicy": ({ name }) => ({ name: `projects/${MOCK_PROJECT}/alertPolicies/${digitsOf(name)}` }),
        "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": ({ name }) => ({
            uptimeCheckId: `${name}-4f2a9c`,
            name: `projects/${MOCK_PROJECT}/uptimeCheckConfigs/${name}-4f2a9c`,
        }),
        "gcp:monitoring/dashboard:Dashboard": ({ name }) => ({ id: `projects/${MOCK_PROJECT}/dashboards/${digitsOf(name)}` }),
        // Cloud SQL names an instance's connection project:region:instance; its private IP comes from the allocated range.
        "gcp:sql/databaseInstance:DatabaseInstance": ({ name, inputs }) => ({
            name,
            connectionName: `${MOCK_PROJECT}:${inputs.region}:${name}`,
            privateIpAddress: "10.88.0.3",
        }),
        "gcp:servicenetworking/connection:Connection": ({ inputs }) => ({
            id: `${inputs.network}:${inputs.service}`,
            peering: "servicenetworking-googleapis-com",
        }),
    },
    call: {
        "gcp:organizations/getProject:getProject": () => ({ projectId: MOCK_PROJECT, number: MOCK_PROJECT_NUMBER }),
    },
};
