import { createHash } from "crypto";
import { MockTable } from "./table";

/**
 * A generated password is a distinctive value of the requested length, so
 * tests can search every resource input and output for it.
 */
export const randomMocks: MockTable = {
    newResource: {
        "random:index/randomPassword:RandomPassword": (args) => {
            const length = Number(args.inputs.length ?? 32);
            let result = "";
            for (let i = 0; result.length < length; i++) result += createHash("sha256").update(`${args.name}:${i}`).digest("hex");
            return { result: result.slice(0, length) };
        },
    },
    call: {},
};
