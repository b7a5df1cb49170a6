/** The `gcp` block: settings that only mean something on Cloud Run. */
import { ServiceConfig } from "./service";
import { Problems, readObject, rejectUnknownKeys } from "./problems";

export interface GcpConfig {}

const GCP_KEYS: string[] = [];

export function parseGcp(value: unknown, key: string, _service: ServiceConfig | undefined, problems: Problems): GcpConfig | undefined {
    const obj = readObject(value ?? {}, key, problems, "gcp: {}");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, GCP_KEYS, problems);
    return {};
}

/** Instances that can run at once: the service-level maximum caps every revision together. */
export function gcpPeakInstances(service: ServiceConfig, _gcp: GcpConfig): number {
    return service.maxInstances;
}
