/**
 * The transpiler ts-node uses when Pulumi runs the program (tsconfig.pulumi.json names it under "ts-node"):
 * esbuild's transformSync in place of TypeScript's transpileModule. Both turn one file at a time into CommonJS
 * without type information (the type-check is `npm test`'s `tsc --noEmit`); esbuild takes a fraction of the time,
 * and transpiling the program's own modules was most of what a preview's start spent on it (README, "How fast a
 * preview starts"). The source map goes back to ts-node, so stack traces and errors still point into the .ts files.
 * A .js file because ts-node loads its transpiler before it can compile TypeScript.
 * https://typestrong.org/ts-node/docs/transpilers
 */
const esbuild = require("esbuild");
const ts = require("typescript");

/** ts-node's transpiler factory: `service.config.options` are the compiler options of the tsconfig ts-node read. */
exports.create = ({ service }) => {
    const options = service.config.options;
    const target = options.target === undefined ? "esnext" : ts.ScriptTarget[options.target].toLowerCase();
    return {
        transpile(input, { fileName }) {
            const { code, map } = esbuild.transformSync(input, {
                loader: fileName.endsWith(".tsx") ? "tsx" : "ts",
                format: "cjs",
                target,
                sourcefile: fileName,
                sourcemap: "external",
                // The options that change esbuild's output for TypeScript, as the tsconfig sets them.
                tsconfigRaw: {
                    compilerOptions: {
                        target,
                        useDefineForClassFields: options.useDefineForClassFields,
                        verbatimModuleSyntax: options.verbatimModuleSyntax,
                    },
                },
            });
            return { outputText: code, sourceMapText: map };
        },
    };
};
