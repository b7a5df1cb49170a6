/** Stack configs and lookups shared by the GCP tests. */
import { ProgramRun, RegisteredResource } from "./harness";

export const TYPES = {
    service: "gcp:cloudrunv2/service:Service",
    invoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    secret: "gcp:secretmanager/secret:Secret",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    secretIam: "gcp:secretmanager/secretIamMember:SecretIamMember",
    projectIam: "gcp:projects/iAMMember:IAMMember",
    account: "gcp:serviceaccount/account:Account",
    sqlUser: "gcp:sql/user:User",
    api: "gcp:projects/service:Service",
    network: "gcp:compute/network:Network",
    subnetwork: "gcp:compute/subnetwork:Subnetwork",
    address: "gcp:compute/globalAddress:GlobalAddress",
    neg: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    backend: "gcp:compute/backendService:BackendService",
    certificate: "gcp:compute/managedSslCertificate:ManagedSslCertificate",
    urlMap: "gcp:compute/uRLMap:URLMap",
    httpsProxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
    httpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
    forwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
} as const;

/** The one PostgREST container of the Cloud Run service, beside any sidecar. */
export function container(run: ProgramRun): Record<string, any> {
    const containers = run.one(TYPES.service).inputs.template.containers.filter((c: { name: string }) => c.name === "postgrest");
    if (containers.length !== 1) throw new Error(`expected one PostgREST container, found ${containers.length}`);
    return containers[0];
}

/** URN-free identity of a resource for messages. */
export function label(resource: RegisteredResource): string {
    return `${resource.type} ${resource.name}`;
}
