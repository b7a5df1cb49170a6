import { nextSchedule } from "../../components/database/rotation";
import { MockTable } from "./table";

/**
 * The rotation schedule as if the stack had been deployed once per generation from 0: `rotations` equals the
 * generation, which is what Check (components/database/rotation.ts) gives when each `up` bumped it by one.
 * Other dynamic resources (RolesAndGrants) return their inputs, as the engine's preview does.
 */
export const rotationMocks: MockTable = {
    newResource: {
        "pulumi-nodejs:dynamic:Resource": ({ inputs }) => {
            if (typeof inputs.generation !== "number") return {};
            const deployed = nextSchedule(undefined, inputs as { generation: number }, new Date("2026-01-01T00:00:00Z"));
            return { ...deployed, rotations: inputs.generation };
        },
    },
    call: {},
};
