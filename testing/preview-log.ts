/**
 * What `pulumi preview --diff --color never` prints for the program when only the roles and grants change: the stack
 * banner, the unchanged resources as `(same)` steps, the RolesAndGrants update with the lines reviewerDiff renders,
 * then the CLI's summary sections. The shape follows the CLI's display (pkg/backend/display in pulumi/pulumi):
 * a step header, its `[id=]` and `[urn=]`, the property diff one level deeper, then `Resources:`.
 */
import { reviewerDiff } from "./preview";
import { AccessInputs, apiInputs } from "../components/database/properties";
import { apiConfig } from "./databases";

const CONNECTION = {
    adminUrl: "postgresql://admin:pw@db.example.com:5432/startup",
    adminTls: { sslMode: "require" as const },
    authenticatorPassword: "p1",
};

/** The roles and grants inputs of an API of `tables` tables: web_anon reads them all, web_user reads and writes them. */
export function largeApiInputs(tables: number, extraTables: string[] = []): AccessInputs {
    const names = [...Array.from({ length: tables }, (_, i) => `api.table_${String(i + 1).padStart(4, "0")}`), ...extraTables];
    const roles = {
        web_anon: { tables: Object.fromEntries(names.map((table) => [table, ["select"]])) },
        web_user: { memberOf: ["web_anon"], tables: Object.fromEntries(names.map((table) => [table, ["select", "insert", "update", "delete"]])) },
    };
    return { ...CONNECTION, ...apiInputs(apiConfig({ roles })) };
}

/** The unchanged resources of an AWS stack, as `(same)` steps: what the CLI lists around the one update. */
const SAME_TYPES = [
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:lb/targetGroup:TargetGroup",
    "aws:lb/listener:Listener",
    "aws:ecs/cluster:Cluster",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/service:Service",
    "aws:secretsmanager/secret:Secret",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:iam/role:Role",
    "aws:cloudwatch/logGroup:LogGroup",
    "random:index/randomPassword:RandomPassword",
];

export function previewLog(stack: string, olds: AccessInputs, news: AccessInputs, extraSections: string[] = []): string {
    const urn = (type: string, name: string) => `urn:pulumi:${stack}::postgrest::${type}::${name}`;
    const lines = [
        `Previewing update (${stack}):`,
        "  pulumi:pulumi:Stack: (same)",
        `    [urn=${urn("pulumi:pulumi:Stack", `postgrest-${stack}`)}]`,
        ...SAME_TYPES.flatMap((type, i) => [`    ${type}: (same)`, `        [id=postgrest-${i}-id]`, `        [urn=${urn(type, `postgrest-${i}`)}]`]),
        "    ~ pulumi-nodejs:dynamic:Resource: (update)",
        "        [id=authenticator@db.example.com:5432/startup]",
        `        [urn=${urn("postgrest:database:PostgrestAccess$pulumi-nodejs:dynamic:Resource", "postgrest-roles-and-grants")}]`,
        ...reviewerDiff(olds, news).map((line) => `    ${line}`),
        ...extraSections,
        "Resources:",
        "    ~ 1 to update",
        `    ${SAME_TYPES.length + 2} unchanged`,
        "",
    ];
    return lines.join("\n");
}
