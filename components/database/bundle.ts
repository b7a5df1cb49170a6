/**
 * The provider in the form the engine receives it. Pulumi serializes a
 * dynamic provider by value, walking every function and local module it
 * reaches (the engine's provider host is plain node and cannot load .ts
 * files); for provider.ts that took a second or more of every preview. Here
 * esbuild bundles provider.ts and the local modules it reaches into one
 * CommonJS text when the program starts, and Pulumi serializes that string
 * and a few forwarding methods. Packages (pg) stay outside the bundle and are
 * `require`d from node_modules in the provider host, as before.
 *
 * The in-network function's code (handler.ts for Lambda, http-handler.ts for
 * a Cloud Run function; pg included) is bundled here too, with the same
 * esbuild: bundleFunctionSource.
 */
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";

type ResourceProvider = pulumi.dynamic.ResourceProvider;

/**
 * provider.ts and the local modules it reaches, as one CommonJS module text
 * that exports `accessProvider`. Asynchronous, so that esbuild's process
 * bundles while the program goes on registering resources.
 */
export async function bundleProviderSource(): Promise<string> {
    const esbuild: typeof import("esbuild") = require("esbuild");
    const result = await esbuild.build({
        entryPoints: [path.join(__dirname, "provider.ts")],
        bundle: true,
        write: false,
        platform: "node",
        format: "cjs",
        target: "node22",
        packages: "external",
        logLevel: "silent",
    });
    return result.outputFiles[0].text;
}

/**
 * A provider whose methods evaluate `source` on first use, in whichever
 * process runs them (the engine's provider host, or this one), and forward
 * to its `accessProvider`. Pulumi serializes a captured promise as its
 * resolved value, so the engine receives the text itself.
 */
export function providerFromSource(source: Promise<string>): ResourceProvider {
    // An object, not a `let`: Pulumi serializes each captured object once, so all methods share what is loaded.
    const loaded: { provider?: ResourceProvider } = {};
    const load = async (): Promise<ResourceProvider> => {
        if (!loaded.provider) {
            const module = { exports: {} as { accessProvider?: ResourceProvider } };
            // `require` of this module's scope: in the provider host it finds pg in the project's node_modules.
            new Function("module", "exports", "require", await source)(module, module.exports, require);
            loaded.provider = module.exports.accessProvider!;
        }
        return loaded.provider;
    };
    return {
        create: async (inputs) => (await load()).create!(inputs),
        diff: async (id, olds, news) => (await load()).diff!(id, olds, news),
        update: async (id, olds, news) => (await load()).update!(id, olds, news),
        read: async (id, props) => (await load()).read!(id, props),
        delete: async (id, props) => (await load()).delete!(id, props),
    };
}

let bundled: ResourceProvider | undefined;

/** The provider RolesAndGrants registers: bundled once per program run. */
export function bundledAccessProvider(): ResourceProvider {
    bundled ??= providerFromSource(bundleProviderSource());
    return bundled;
}

/** The in-network function's entry per runtime: Lambda calls `index.handler`; the Functions Framework calls its target. */
const FUNCTION_ENTRIES = { lambda: "handler.ts", "cloud-run": "http-handler.ts" } as const;

export type FunctionRuntime = keyof typeof FUNCTION_ENTRIES;

/** The Functions Framework target the Cloud Run bundle exports: the function's buildConfig.entryPoint. */
export const CLOUD_RUN_FUNCTION_TARGET = "applyAccess";

/**
 * The runtime's entry (handler.ts or http-handler.ts) and everything it
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
