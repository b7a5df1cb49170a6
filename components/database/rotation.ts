/**
 * The rotation schedule: a dynamic resource that counts rotations, so that the program knows which of the two
 * authenticators is active without reading a clock, and a preview shows what `up` will do.
 *
 * It is not @pulumiverse/time's Rotating: that resource (terraform-provider-time's time_rotating) notices it is due
 * only in Read, so with Pulumi it rotates only on `pulumi up --refresh`, and it needs a provider plugin that a
 * deployer without network access cannot install. Here Check, which the engine calls on every preview and `up`
 * with the recorded inputs and the program's, decides: a changed generation, or `everyDays` past the last rotation,
 * gives the next count and the rotation time; otherwise the recorded ones come back unchanged, so previews are
 * identical until a rotation is due. The count lives in the inputs because Check is the only call that sees the
 * recorded state before a Diff, and because a preview's outputs of a dynamic resource are its checked inputs
 * (the dynamic provider host does not support previews), so the program sees the coming count at preview too.
 * Diff then reports a replacement of `rotations`, as time_rotating is replaced when due.
 */
import type * as pulumi from "@pulumi/pulumi";

const DAY_MS = 86_400_000;

/** What the program gives: the stack's api.rotation. */
export interface ScheduleInputs {
    generation: number;
    everyDays?: number;
}

/** What Check adds: how many rotations happened since rotation was turned on, the last one's time, and the next one's. */
export interface ScheduleState extends ScheduleInputs {
    rotations: number;
    /** RFC 3339 time of the last rotation (of turning rotation on, before the first). */
    rotatedAt: string;
    /** RFC 3339 time from which the next `up` rotates; absent without everyDays. */
    dueAt?: string;
}

/** The schedule after an `up` at `now`, given what was recorded (undefined on the first). Pure: `now` is passed in. */
export function nextSchedule(recorded: Partial<ScheduleState> | undefined, wanted: ScheduleInputs, now: Date): ScheduleState {
    const inputs: ScheduleInputs = { generation: wanted.generation, ...(wanted.everyDays !== undefined && { everyDays: wanted.everyDays }) };
    const at = (rotations: number, rotatedAt: string): ScheduleState => ({
        ...inputs,
        rotations,
        rotatedAt,
        ...(inputs.everyDays !== undefined && { dueAt: new Date(Date.parse(rotatedAt) + inputs.everyDays * DAY_MS).toISOString() }),
    });
    // Turning rotation on is no rotation: the authenticator that runs stays active.
    if (typeof recorded?.rotations !== "number" || typeof recorded.rotatedAt !== "string") return at(0, now.toISOString());
    const dueByTime = inputs.everyDays !== undefined && now.getTime() >= Date.parse(recorded.rotatedAt) + inputs.everyDays * DAY_MS;
    const due = recorded.generation !== inputs.generation || dueByTime;
    return due ? at(recorded.rotations + 1, now.toISOString()) : at(recorded.rotations, recorded.rotatedAt);
}

export const scheduleProvider: pulumi.dynamic.ResourceProvider = {
    async check(olds: Partial<ScheduleState>, news: ScheduleInputs): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: nextSchedule(olds, news, new Date()) };
    },

    async diff(_id: string, olds: ScheduleState, news: ScheduleState): Promise<pulumi.dynamic.DiffResult> {
        const keys = ["generation", "everyDays", "rotations", "rotatedAt", "dueAt"] as const;
        const changed = keys.filter((key) => olds[key] !== news[key]);
        return { changes: changed.length > 0, replaces: changed.includes("rotations") ? ["rotations"] : [], deleteBeforeReplace: false };
    },

    async create(inputs: ScheduleState): Promise<pulumi.dynamic.CreateResult> {
        return { id: `rotation-${inputs.rotations}`, outs: inputs };
    },

    async update(_id: string, _olds: ScheduleState, news: ScheduleState): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: news };
    },

    async read(id: string, props: ScheduleState): Promise<pulumi.dynamic.ReadResult> {
        // Nothing outside the state to look at: a refresh keeps it as it is.
        return { id, props, inputs: props };
    },

    async delete(): Promise<void> {
        // Nothing to remove: the schedule is only a count in the stack's state.
    },
};
