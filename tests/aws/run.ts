/**
 * Builds PostgrestOnAws alone under pulumi.runtime.setMocks, from a stack
 * config parsed by the real config module, with the database side's outputs
 * (authenticator role and password) given as the component receives them.
 * tests/program.test.ts covers the same component inside the whole program.
 */
import * as pulumi from "@pulumi/pulumi";
import { ParsedConfig, StackConfig, parseConfig } from "../../components/config";
import { PostgrestOnAws } from "../../components/aws";
import { RegisteredResource } from "../harness";
import { awsMocks } from "../mocks/aws";

/** Values that must never appear outside Secrets Manager; the '@' and '/' check the URI encoding. */
export const AUTHENTICATOR_PASSWORD = "auth-pw/7@Zq";
export const JWT_SECRET = "jwt-secret-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c1e";

const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs(): Promise<void>;
    getMonitor(): { registerResource(req: { getType(): string; getName(): string; getParent(): string }, callback: unknown): Promise<void> };
};

export interface AwsRun {
    config: ParsedConfig & { cloud: "aws" };
    resources: RegisteredResource[];
    outputs: { url: string; serviceName: string; secretIds: string[]; details: Record<string, string> };
    byType(type: string): RegisteredResource[];
    one(type: string): RegisteredResource;
}

/** Parses `config` as the program does (objects as JSON text, secrets flagged) and fails on any problem. */
export function parseAwsConfig(config: Record<string, unknown>): ParsedConfig & { cloud: "aws" } {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) if (value !== undefined) values[key] = typeof value === "string" ? value : JSON.stringify(value);
    const parsed = parseConfig({ values, secretKeys: new Set(["databaseAdminUrl", "jwtSecret"]), namespace: "postgrest" });
    if (parsed.cloud !== "aws") throw new Error("not an aws config");
    return parsed;
}

export async function runAws(config: Record<string, unknown>): Promise<AwsRun> {
    const parsed = parseAwsConfig(config);
    const resources: RegisteredResource[] = [];
    const parents = new Map<string, string>();
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const extra = awsMocks.newResource[args.type]?.(args) ?? {};
                const id = (extra.id as string | undefined) ?? `${args.name}-id`;
                resources.push({ type: args.type, name: args.name, inputs: args.inputs, id, parent: parents.get(`${args.type}::${args.name}`) });
                return { id, state: { ...args.inputs, ...extra } };
            },
            call(args) {
                const handler = awsMocks.call[args.token];
                if (!handler) throw new Error(`no mock for invoke ${args.token}`);
                return handler(args);
            },
        },
        "postgrest",
        "test",
        false,
    );
    const monitor = runtimeSettings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        if (req.getParent()) parents.set(`${req.getType()}::${req.getName()}`, req.getParent());
        return register(req, callback);
    };

    const stackConfig = { ...parsed, databaseAdminUrl: pulumi.secret(parsed.databaseAdminUrl), jwtSecret: undefined } as StackConfig & { cloud: "aws" };
    const target = new PostgrestOnAws("postgrest", {
        config: stackConfig,
        jwtSecret: pulumi.secret(JWT_SECRET),
        authenticatorRole: pulumi.output(parsed.api.authenticatorRole),
        authenticatorPassword: pulumi.secret(AUTHENTICATOR_PASSWORD),
        dependsOn: [],
    });
    const outputs = {
        url: await resolve(target.url),
        serviceName: await resolve(target.serviceName),
        secretIds: await resolve(target.secretIds),
        details: await resolve(target.details),
    };
    await runtimeSettings.waitForRPCs();
    return {
        config: parsed,
        resources,
        outputs,
        byType: (type) => resources.filter((r) => r.type === type),
        one(type) {
            const found = resources.filter((r) => r.type === type);
            if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
            return found[0];
        },
    };
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolvePromise) => output.apply((value) => resolvePromise(value)));
}
