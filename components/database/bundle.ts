/**
 * The provider in the form the engine receives it. The engine's dynamic-provider host (plain node: it cannot load .ts
 * files) evaluates the resource's `__provider` text as a CommonJS module and calls its `handler()`. esbuild bundles
 * provider.ts and the local modules it reaches into that text when the program starts, while the program goes on;
 * RolesAndGrants hands it to the engine as it is, instead of the text Pulumi's closure serializer would make with an
 * inspector session over every loaded script (docs/decisions.md, "How fast a preview starts"). Packages (pg) stay outside
 * the bundle and are `require`d from node_modules in the provider host.
 *
 * The in-network function's code (entries/lambda.ts for Lambda, entries/cloud-run.ts for a Cloud Run function; pg
 * included) is bundled here too, with the same esbuild: bundleFunctionSource.
 */
import * as path from "path";

/** Each dynamic provider: its module and the export `handler()` returns. */
const PROVIDERS = {
    access: { entry: "provider.ts", exported: "accessProvider" },
    schedule: { entry: "rotation.ts", exported: "scheduleProvider" },
} as const;

export type ProviderName = keyof typeof PROVIDERS;

/**
 * A provider's module (provider.ts, or rotation.ts for the rotation schedule) and the local modules it reaches, as
 * the CommonJS module text the dynamic-provider host loads: `require-from-string`, then `.handler()`
 * (https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/dynamic-provider/index.ts,
 * getProvider). Asynchronous, so that esbuild bundles while the program goes on
 * registering resources.
 */
export async function bundleProviderModule(name: ProviderName = "access"): Promise<string> {
    const esbuild: typeof import("esbuild") = require("esbuild");
    const { entry, exported } = PROVIDERS[name];
    const result = await esbuild.build({
        entryPoints: [path.join(__dirname, entry)],
        bundle: true,
        write: false,
        platform: "node",
        format: "cjs",
        target: "node22",
        packages: "external",
        footer: { js: `module.exports.handler = () => module.exports.${exported};` },
        logLevel: "silent",
    });
    return result.outputFiles[0].text;
}

const bundled = new Map<ProviderName, Promise<string>>();

/** The `__provider` RolesAndGrants (or RotationSchedule) registers: bundled once per program run. */
export function providerModule(name: ProviderName = "access"): Promise<string> {
    if (!bundled.has(name)) bundled.set(name, bundleProviderModule(name));
    return bundled.get(name)!;
}

/** The in-network function's entry per runtime: Lambda calls `index.handler`; the Functions Framework calls its target. */
const FUNCTION_ENTRIES = { lambda: "entries/lambda.ts", "cloud-run": "entries/cloud-run.ts" } as const;

export type FunctionRuntime = keyof typeof FUNCTION_ENTRIES;

/** The Functions Framework target the Cloud Run bundle exports: the function's buildConfig.entryPoint. */
export const CLOUD_RUN_FUNCTION_TARGET = "applyAccess";

/**
 * The runtime's entry (entries/lambda.ts or entries/cloud-run.ts) and everything it
 * reaches, pg included, as one self-contained CommonJS text: the function's
 * index.js. Paths in esbuild's comments are relative to the repository root,
 * so the text, and the function's code hash, are the same from any clone or
 * working directory: no function update unless the code changed.
 */
export async function bundleFunctionSource(runtime: FunctionRuntime = "lambda"): Promise<string> {
    const esbuild: typeof import("esbuild") = require("esbuild");
    const result = await esbuild.build({
        entryPoints: [path.join(__dirname, FUNCTION_ENTRIES[runtime])],
        absWorkingDir: path.resolve(__dirname, "..", ".."),
        bundle: true,
        write: false,
        platform: "node",
        format: "cjs",
        target: "node22",
        // pg loads its optional native binding only when asked (pg.native); the function never asks.
        external: ["pg-native"],
        logLevel: "silent",
    });
    return result.outputFiles[0].text;
}
